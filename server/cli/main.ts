#!/usr/bin/env node
// `parlens`: the command line over the analysis core. Thin: parse arguments, call the core, print.
import { analyzeCommand } from './analyzeCommand';
import { startServer } from '../lsp/server';

const USAGE = `Usage: parlens <command> [options]

Commands:
  analyze [files | folders | tsconfig.json ...] [--format text|json] [--fix | --fix-dry-run] [--latencies file.json]
      Find the loops that can run in parallel and the awaits that can run concurrently,
      and name what blocks the others. With no inputs, analyses the current folder.
      --fix applies the proven rewrites (Promise.all, Promise.allSettled, Promise.all(map))
      in place; --fix-dry-run prints them as a unified diff and changes nothing.
      --latencies file.json gives awaits measured or assumed latencies for the estimates:
      { "src/app.ts:12": 120, "src/app.ts:13": 40 } (unlisted awaits count 1).
  lsp --stdio
      Run the language server over stdin/stdout (for Neovim, Helix, Emacs; see server/lsp/README.md).
  help
      Show this text.

Exit codes: 0 when the analysis ran (whatever it found), 2 on a usage error or when no input could be read.`;

export function main(argv: readonly string[]): number {
  const [command, ...rest] = argv;
  switch (command) {
    case 'analyze':
      return analyzeCommand(rest);
    case 'lsp':
      return lsp(rest);
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

/** `parlens lsp --stdio`: the same server as dist/server.js; it keeps the process alive until the client exits. */
function lsp(args: readonly string[]): number {
  if (!args.includes('--stdio')) {
    process.stderr.write("parlens lsp: only the stdio transport is supported from the command line; run 'parlens lsp --stdio'.\n");
    return 2;
  }
  startServer();
  return 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
