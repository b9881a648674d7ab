// Reads the `//@` expectations of the futures corpus: one comment per line that holds an await, a loop or a forEach.
//   //@ [label] after(a, b) group(label, c) concurrent     an await: its label, dependsOn, its group, already concurrent
//   //@ loop VERDICT [VARIABLE] [(KIND)] [fix|nofix]        the await-in-loop finding at this line
//   //@ async-foreach [fix|nofix]                           the async forEach finding at this line (may precede `loop ...`)

/** Labels repeat from function to function: `after(x)` means the nearest x above, `group(x, y)` the nearest at or below. */
export interface AwaitExpectation { line: number; label: string; after: number[]; group?: number[]; concurrent: boolean }
export interface LoopExpectation { line: number; verdict: string; variable?: string; kind?: string; fix?: boolean }
export interface ForEachExpectation { line: number; fix?: boolean }

export interface CorpusExpectations {
  awaits: AwaitExpectation[];
  loops: LoopExpectation[];
  forEach: ForEachExpectation[];
}

export function readExpectations(text: string): CorpusExpectations {
  const out: CorpusExpectations = { awaits: [], loops: [], forEach: [] };
  const labelled: { label: string; line: number }[] = [];
  text.split('\n').forEach((source, i) => {
    const m = /\/\/@ \[(\w+)\]/.exec(source);
    if (m) labelled.push({ label: m[1], line: i + 1 });
  });
  const above = (label: string, line: number) => {
    // An await in another's operand may sit on the line below (it still runs first).
    const found = labelled.filter((l) => l.label === label && l.line < line).pop() ?? labelled.find((l) => l.label === label && l.line > line && l.line <= line + 2);
    if (!found) throw new Error(`line ${line}: no await labelled [${label}] above`);
    return found.line;
  };
  const below = (label: string, line: number) => {
    const found = labelled.find((l) => l.label === label && l.line >= line);
    if (!found) throw new Error(`line ${line}: no await labelled [${label}] at or below`);
    return found.line;
  };
  text.split('\n').forEach((source, i) => {
    const line = i + 1;
    const at = source.indexOf('//@');
    if (at < 0) return;
    let spec = source.slice(at + 3).trim();
    const label = /^\[(\w+)\]/.exec(spec);
    if (label) {
      const list = (name: string) => {
        const m = new RegExp(`${name}\\(([^)]*)\\)`).exec(spec);
        return m ? m[1].split(',').map((s) => s.trim()).filter(Boolean) : undefined;
      };
      out.awaits.push({
        line, label: label[1], after: (list('after') ?? []).map((l) => above(l, line)), group: list('group')?.map((l) => below(l, line)),
        concurrent: /\bconcurrent\b/.test(spec),
      });
      return;
    }
    if (spec.startsWith('async-foreach')) {
      spec = spec.slice('async-foreach'.length).trim();
      const fix = /^(fix|nofix)\b/.exec(spec);
      out.forEach.push({ line, fix: fix ? fix[1] === 'fix' : undefined });
      if (fix) spec = spec.slice(fix[0].length).trim();
    }
    const loop = /^loop\s+(independent|dependent|unknown)(?:\s+(?!(?:fix|nofix)\b)([\w.]+))?(?:\s+\((\w+)\))?(?:\s+(fix|nofix))?\s*$/.exec(spec);
    if (loop) out.loops.push({ line, verdict: loop[1], variable: loop[2], kind: loop[3], fix: loop[4] ? loop[4] === 'fix' : undefined });
    else if (spec.length > 0) throw new Error(`line ${line}: cannot read the expectation '//@ ${spec}'`);
  });
  return out;
}
