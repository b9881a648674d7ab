#!/usr/bin/env node
// `parlens`: the command line over the analysis core. Thin: parse arguments, call the core, print.
import { collectSourceFiles, analyzeFile } from '../core/index';
import { toJson, toText } from './format';

const USAGE = `Usage: parlens <command> [options]

Commands:
  analyze [files | folders | tsconfig.json ...] [--format text|json]
      Find the loops that can run in parallel and name what blocks the others.
      With no inputs, analyses the current folder.
  help
      Show this text.

Exit codes: 0 when the analysis ran (whatever it found), 2 on a usage error or when no input could be read.`;

export function main(argv: readonly string[]): number {
  const [command, ...rest] = argv;
  switch (command) {
    case 'analyze':
      return analyze(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`parlens: unknown command '${command}'.\n\n${USAGE}\n`);
      return 2;
  }
}

function analyze(args: readonly string[]): number {
  let format = 'text';
  const inputs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--format' || a.startsWith('--format=')) {
      format = a.includes('=') ? a.slice('--format='.length) : args[++i] ?? '';
      if (format !== 'text' && format !== 'json') {
        process.stderr.write(`parlens analyze: --format must be 'text' or 'json', not '${format}'.\n`);
        return 2;
      }
    } else if (a.startsWith('-')) {
      process.stderr.write(`parlens analyze: unknown option '${a}'. Run 'parlens help' for the options.\n`);
      return 2;
    } else {
      inputs.push(a);
    }
  }
  const { files, problems } = collectSourceFiles(inputs.length > 0 ? inputs : ['.']);
  for (const p of problems) process.stderr.write(`parlens: ${p}\n`);
  if (files.length === 0) {
    process.stderr.write('parlens: no TypeScript or JavaScript files to analyse; name files, folders or a tsconfig.json.\n');
    return 2;
  }
  const reports = files.map((f) => analyzeFile(f));
  let readable = 0;
  for (const r of reports) {
    for (const e of r.errors) process.stderr.write(`parlens: ${r.file}: ${e}\n`);
    if (!r.errors.some((e) => e.startsWith('cannot read'))) readable++;
  }
  if (readable === 0) return 2;
  const ok = reports.filter((r) => !r.errors.some((e) => e.startsWith('cannot read')));
  process.stdout.write(`${format === 'json' ? toJson(ok) : toText(ok, process.cwd(), process.stdout.isTTY === true)}\n`);
  return 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
