// Runs of consecutive, independent await statements, and the rewrites that start them together:
// `const [a, b] = await Promise.all([...])`, or `Promise.allSettled` where each await has its own try/catch.
import { ts, skipOuterExpressions, textOf } from '../syntax/parse';
import type { Fix, TextEdit } from '../findings';
import type { AwaitFacts } from './awaitFlow';
import { exits } from './awaitFlow';
import { indentationOf, indentUnit, usesSemicolons, leadingComments, trailingComments, NamePool, reindent } from './rewriteText';

/** One statement that is a single await: `const x = await E;`, `x = await E;` (in try blocks) or `await E;`. */
interface AwaitStatement {
  statement: ts.Statement;
  facts: AwaitFacts;
  /** The declared pattern (`x`, `{ a, b }`) for declarations; the assigned name for `x = await E`. */
  target?: string;
  keyword?: 'const' | 'let' | 'var';
  type?: string;
  assignment: boolean;
}

export interface AwaitGroup {
  kind: 'all' | 'allSettled';
  members: AwaitFacts[];
  /** The statements the group spans (the try statements for allSettled). */
  statements: ts.Statement[];
  fix: Fix;
}

export function findAwaitGroups(sourceFile: ts.SourceFile, facts: readonly AwaitFacts[], names: NamePool, groupSpeedup: (members: AwaitFacts[]) => number): AwaitGroup[] {
  const byNode = new Map<ts.Node, AwaitFacts>(facts.map((f) => [f.node, f]));
  const groups: AwaitGroup[] = [];
  const blocks = new Set<ts.Node>();
  for (const f of facts) {
    const statement = enclosingStatement(f.node);
    if (!statement) continue;
    blocks.add(statement.parent);
    // An await that opens a try block can join a run of try statements (Promise.allSettled).
    if (ts.isBlock(statement.parent) && ts.isTryStatement(statement.parent.parent)) blocks.add(statement.parent.parent.parent);
  }
  for (const block of blocks) {
    const statements = statementsOf(block);
    if (!statements) continue;
    groups.push(...allGroups(sourceFile, statements, byNode, groupSpeedup));
    groups.push(...settledGroups(sourceFile, statements, byNode, names, groupSpeedup));
  }
  return groups.sort((a, b) => a.members[0].index - b.members[0].index);
}

function statementsOf(block: ts.Node): readonly ts.Statement[] | undefined {
  if (ts.isBlock(block) || ts.isSourceFile(block) || ts.isModuleBlock(block) || ts.isCaseClause(block) || ts.isDefaultClause(block)) return block.statements;
  return undefined;
}

function enclosingStatement(node: ts.Node): ts.Statement | undefined {
  for (let at = node.parent; at; at = at.parent) {
    if (ts.isStatement(at)) return at;
  }
  return undefined;
}

/** The statement as a single await, or undefined when it is anything else. */
function asAwaitStatement(sourceFile: ts.SourceFile, statement: ts.Statement, byNode: Map<ts.Node, AwaitFacts>, allowAssignment: boolean): AwaitStatement | undefined {
  let awaitNode: ts.Expression | undefined;
  let target: string | undefined;
  let keyword: AwaitStatement['keyword'];
  let type: string | undefined;
  let assignment = false;
  if (ts.isVariableStatement(statement)) {
    const list = statement.declarationList;
    if (list.declarations.length !== 1 || statement.modifiers?.length) return undefined;
    const flags = list.flags & (ts.NodeFlags.Const | ts.NodeFlags.Let | ts.NodeFlags.Using | ts.NodeFlags.AwaitUsing);
    if (flags !== ts.NodeFlags.Const && flags !== ts.NodeFlags.Let && flags !== 0) return undefined;
    keyword = flags === ts.NodeFlags.Const ? 'const' : flags === ts.NodeFlags.Let ? 'let' : 'var';
    const d = list.declarations[0];
    if (!d.initializer) return undefined;
    awaitNode = skipOuterExpressions(d.initializer);
    target = textOf(sourceFile, d.name);
    type = d.type ? textOf(sourceFile, d.type) : undefined;
  } else if (ts.isExpressionStatement(statement)) {
    const e = skipOuterExpressions(statement.expression);
    if (allowAssignment && ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(e.left)) {
      awaitNode = skipOuterExpressions(e.right);
      target = e.left.text;
      assignment = true;
    } else {
      awaitNode = e;
    }
  } else {
    return undefined;
  }
  if (!ts.isAwaitExpression(awaitNode)) return undefined;
  const facts = byNode.get(awaitNode);
  if (!facts || facts.concurrentSince !== undefined || facts.combinator) return undefined;
  // Another await inside the operand would be started by Promise.all too early.
  let nested = false;
  const visit = (n: ts.Node): void => { if (ts.isAwaitExpression(n)) nested = true; else n.forEachChild(visit); };
  facts.node.expression.forEachChild(visit);
  if (nested || ts.isAwaitExpression(skipOuterExpressions(facts.node.expression))) return undefined;
  return { statement, facts, target, keyword, type, assignment };
}

function independentOf(candidate: AwaitFacts, members: readonly AwaitStatement[]): boolean {
  return members.every((m) => !candidate.dependsOn.has(m.facts.index));
}

// ---- Promise.all ---------------------------------------------------------------------------------------------

function allGroups(sourceFile: ts.SourceFile, statements: readonly ts.Statement[], byNode: Map<ts.Node, AwaitFacts>, groupSpeedup: (m: AwaitFacts[]) => number): AwaitGroup[] {
  const out: AwaitGroup[] = [];
  let run: AwaitStatement[] = [];
  const close = () => {
    if (run.length >= 2) out.push(promiseAllGroup(sourceFile, run, groupSpeedup));
    run = [];
  };
  for (const s of statements) {
    const a = asAwaitStatement(sourceFile, s, byNode, false);
    if (!a) { close(); continue; }
    if (run.length > 0 && (!independentOf(a.facts, run) || !compatible(run, a))) close();
    run.push(a);
  }
  close();
  return out;
}

/**
 * Declarations merge into one only with the same keyword. A `let` or `var` group needs all or none annotated
 * (a tuple annotation keeps the declared types); a `const` group may mix them (see `satisfies` below).
 */
function compatible(run: readonly AwaitStatement[], next: AwaitStatement): boolean {
  const declared = run.filter((m) => m.keyword);
  if (!next.keyword || declared.length === 0) return true;
  return declared.every((m) => m.keyword === next.keyword && (next.keyword === 'const' || (m.type === undefined) === (next.type === undefined)));
}

function promiseAllGroup(sourceFile: ts.SourceFile, members: AwaitStatement[], groupSpeedup: (m: AwaitFacts[]) => number): AwaitGroup {
  const first = members[0].statement;
  const last = members[members.length - 1].statement;
  const indent = indentationOf(sourceFile, first);
  const inner = indent + indentUnit(sourceFile, first);
  const semi = usesSemicolons(sourceFile, first) ? ';' : '';
  const declared = members.filter((m) => m.keyword);
  const annotated = declared.filter((m) => m.type !== undefined).length;
  const mixed = annotated > 0 && annotated < declared.length;
  const lines: string[] = [];
  members.forEach((m, i) => {
    if (i > 0) for (const c of leadingComments(sourceFile, m.statement)) lines.push(`${inner}${c}`);
    let operand = reindent(textOf(sourceFile, m.facts.node.expression), indentationOf(sourceFile, m.statement), inner);
    // Mixed annotations in a const group: the check the annotation made is kept with `satisfies` on the element.
    if (mixed && m.type !== undefined) operand = `${operand} satisfies ${m.type} | PromiseLike<${m.type}>`;
    const trailing = trailingComments(sourceFile, m.statement).texts;
    lines.push(`${inner}${operand},${trailing.length > 0 ? ` ${trailing.join(' ')}` : ''}`);
  });
  const call = `await Promise.all([\n${lines.join('\n')}\n${indent}])`;
  let text: string;
  if (declared.length === 0) {
    text = `${call}${semi}`;
  } else {
    const pattern = members.map((m) => m.target ?? '').join(', ');
    const typed = annotated === declared.length && annotated > 0 ? `: [${members.map((m) => m.type ?? 'unknown').join(', ')}]` : '';
    text = `${declared[0].keyword} [${pattern}]${typed} = ${call}${semi}`;
  }
  const end = trailingComments(sourceFile, last).end;
  const edits: TextEdit[] = [{ start: first.getStart(sourceFile), end, newText: text }];
  const facts = members.map((m) => m.facts);
  const lineList = facts.map((f) => f.line).join(', ');
  const estimate = groupSpeedup(facts);
  const assumptions = [...new Set(facts.flatMap((f) => f.assumptions))];
  const description = [
    `Starts the awaits of lines ${lineList} together instead of one after another (≈${estimate.toFixed(1)}× for these lines when each await takes the same time).`,
    'Error behaviour changes: Promise.all is fail-fast — it rejects with the first error to arrive, and the other calls have already been started and still run; sequentially, a failure stopped the later calls from starting.',
    ...(facts.some((f) => f.externalEffects) ? ['The order of their external side effects (two writes to one database, say) is not checked.'] : []),
    ...(assumptions.length > 0 ? [`Assumes: ${assumptions.join('; ')}.`] : []),
  ].join(' ');
  return {
    kind: 'all', members: facts, statements: members.map((m) => m.statement),
    fix: { title: `Run ${members.length} independent awaits concurrently with Promise.all`, description, edits },
  };
}

// ---- Promise.allSettled --------------------------------------------------------------------------------------

interface SettledMember {
  statement: ts.TryStatement;
  awaited: AwaitStatement;
}

function settledGroups(sourceFile: ts.SourceFile, statements: readonly ts.Statement[], byNode: Map<ts.Node, AwaitFacts>, names: NamePool, groupSpeedup: (m: AwaitFacts[]) => number): AwaitGroup[] {
  const out: AwaitGroup[] = [];
  let run: SettledMember[] = [];
  const close = () => {
    if (run.length >= 2) out.push(allSettledGroup(sourceFile, run, names, groupSpeedup));
    run = [];
  };
  for (const s of statements) {
    const member = asSettledMember(sourceFile, s, byNode);
    if (!member) { close(); continue; }
    if (run.length > 0 && !independentOf(member.awaited.facts, run.map((m) => m.awaited))) close();
    run.push(member);
  }
  close();
  return out;
}

/** `try { <one await statement>; ...no other await } catch (e) { ...no early exit }`, without finally. */
function asSettledMember(sourceFile: ts.SourceFile, s: ts.Statement, byNode: Map<ts.Node, AwaitFacts>): SettledMember | undefined {
  if (!ts.isTryStatement(s) || !s.catchClause || s.finallyBlock) return undefined;
  const [firstStatement] = s.tryBlock.statements;
  if (!firstStatement) return undefined;
  const awaited = asAwaitStatement(sourceFile, firstStatement, byNode, true);
  if (!awaited) return undefined;
  let awaits = 0;
  const count = (n: ts.Node): void => { if (ts.isAwaitExpression(n)) awaits++; if (!ts.isFunctionLike(n)) n.forEachChild(count); };
  count(s.tryBlock);
  if (awaits !== 1 || exits(s.tryBlock) || exits(s.catchClause.block)) return undefined;
  return { statement: s, awaited };
}

function allSettledGroup(sourceFile: ts.SourceFile, members: SettledMember[], names: NamePool, groupSpeedup: (m: AwaitFacts[]) => number): AwaitGroup {
  const first = members[0].statement;
  const indent = indentationOf(sourceFile, first);
  const inner = indent + indentUnit(sourceFile, members[0].awaited.statement);
  const semi = usesSemicolons(sourceFile, members[0].awaited.statement) ? ';' : '';
  const resultNames = members.map((m) => names.fresh(m.awaited.target && /^[A-Za-z_$][\w$]*$/.test(m.awaited.target) ? `${m.awaited.target}Result` : 'settled'));
  const operands = members.map((m) => `${inner}${reindent(textOf(sourceFile, m.awaited.facts.node.expression), indentationOf(sourceFile, m.awaited.statement), inner)},`);
  const edits: TextEdit[] = [{
    start: first.getStart(sourceFile), end: first.getStart(sourceFile),
    newText: `const [${resultNames.join(', ')}] = await Promise.allSettled([\n${operands.join('\n')}\n${indent}])${semi}\n${indent}`,
  }];
  members.forEach((m, i) => {
    const statementStart = m.awaited.statement.getStart(sourceFile);
    const innerIndent = indentationOf(sourceFile, m.awaited.statement);
    edits.push({ start: statementStart, end: statementStart, newText: `if (${resultNames[i]}.status === 'rejected') throw ${resultNames[i]}.reason${semi}\n${innerIndent}` });
    edits.push({ start: m.awaited.facts.node.getStart(sourceFile), end: m.awaited.facts.node.end, newText: `${resultNames[i]}.value` });
  });
  edits.sort((a, b) => a.start - b.start || a.end - b.end);
  const facts = members.map((m) => m.awaited.facts);
  const estimate = groupSpeedup(facts);
  const description = [
    `Starts the awaits of lines ${facts.map((f) => f.line).join(', ')} together and waits for all of them to settle (≈${estimate.toFixed(1)}× when each takes the same time); each try/catch still handles its own call's failure, in the same order.`,
    'Error behaviour changes: every call is started even when an earlier one fails (sequentially, a failure ran its catch before the next call began), and each catch block now runs after all the calls have settled.',
    ...(facts.some((f) => f.externalEffects) ? ['The order of their external side effects is not checked.'] : []),
  ].join(' ');
  return {
    kind: 'allSettled', members: facts, statements: members.map((m) => m.statement),
    fix: { title: `Run ${members.length} independent awaits concurrently with Promise.allSettled (each keeps its try/catch)`, description, edits },
  };
}
