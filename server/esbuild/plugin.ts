// parlens/esbuild: compiles `// @parallel` loops and `// @task` functions into parlens/runtime calls.
//
//   import { build } from 'esbuild';
//   import { parlens } from 'parlens/esbuild';
//   await build({ entryPoints: ['src/main.ts'], bundle: true, format: 'esm', plugins: [parlens()] });
//
// Files without annotations are not touched (esbuild loads them itself). See server/esbuild/README.md.
import { readFile } from 'node:fs/promises';
import type { Loader, Message, Plugin, PartialMessage } from 'esbuild';
import { compileAnnotations } from './compile';
import type { BuildProblem } from './diagnostics';

export interface ParlensPluginOptions {
  /** Module specifier the compiled code imports the runtime from. Default: 'parlens/runtime'. */
  runtime?: string;
  /** Which files to look at; default every .ts/.tsx/.js/.jsx/.mts/.cts/.mjs/.cjs outside node_modules. */
  filter?: RegExp;
}

const defaultFilter = /\.(m|c)?(t|j)sx?$/;

export function parlens(options: ParlensPluginOptions = {}): Plugin {
  return {
    name: 'parlens',
    setup(build) {
      const { format, bundle } = build.initialOptions;
      // Without bundling and without a format, esbuild keeps the file's own module format, which may be ESM.
      const topLevelAwait = format === 'esm' || (format === undefined && !bundle);
      build.onLoad({ filter: options.filter ?? defaultFilter }, async (args) => {
        if (args.namespace !== 'file' || /[\\/]node_modules[\\/]/.test(args.path)) return undefined;
        const text = await readFile(args.path, 'utf8');
        const compiled = compileAnnotations(args.path, text, { runtime: options.runtime, topLevelAwait });
        const errors = compiled.errors.map((p) => toMessage(p, args.path, text));
        const warnings = compiled.warnings.map((p) => toMessage(p, args.path, text));
        if (errors.length > 0) return { errors, warnings };
        if (compiled.contents === undefined) return warnings.length > 0 ? { warnings } : undefined;
        return { contents: compiled.contents, loader: loaderFor(args.path), warnings };
      });
    },
  };
}

export default parlens;

function loaderFor(path: string): Loader {
  if (/\.(m|c)?tsx$/.test(path)) return 'tsx';
  if (/\.(m|c)?ts$/.test(path)) return 'ts';
  if (/\.jsx$/.test(path)) return 'jsx';
  return 'js';
}

function toMessage(problem: BuildProblem, file: string, text: string): PartialMessage {
  return {
    text: problem.text,
    location: location(file, text, problem.start, problem.end),
    notes: (problem.notes ?? []).map((note) => ({
      text: note.text,
      ...(note.at !== undefined ? { location: location(file, text, note.at, note.at) } : {}),
    })),
  };
}

/** esbuild locations: 1-based line, 0-based column, the line's text, and a length that stays on that line. */
function location(file: string, text: string, start: number, end: number): Message['location'] {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const lineEndAt = text.indexOf('\n', start);
  const lineEnd = lineEndAt < 0 ? text.length : lineEndAt;
  const line = text.slice(0, start).split('\n').length;
  return {
    file, namespace: 'file', line, column: start - lineStart,
    length: Math.max(0, Math.min(end, lineEnd) - start), lineText: text.slice(lineStart, lineEnd).replace(/\r$/, ''), suggestion: '',
  };
}
