// Turns what a user names (files, folders, tsconfig.json) into the list of source files to analyse.
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join, resolve, dirname, basename } from 'node:path';
import { ts } from './syntax/parse';

const SOURCE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/i;
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', 'dist', 'out', 'build', 'coverage']);

export interface CollectedFiles {
  files: string[];
  /** Inputs that could not be used, each with what to do about it. */
  problems: string[];
}

export function collectSourceFiles(inputs: readonly string[], cwd = process.cwd()): CollectedFiles {
  const files = new Set<string>();
  const problems: string[] = [];
  for (const input of inputs) {
    const path = resolve(cwd, input);
    if (!existsSync(path)) {
      problems.push(`${input}: no such file or folder`);
      continue;
    }
    const stat = statSync(path);
    if (stat.isDirectory()) {
      walk(path, files);
    } else if (basename(path).startsWith('tsconfig') && path.endsWith('.json')) {
      const fromConfig = filesOfTsconfig(path);
      if (typeof fromConfig === 'string') problems.push(`${input}: ${fromConfig}`);
      else fromConfig.forEach((f) => files.add(f));
    } else if (SOURCE.test(path) && !path.endsWith('.d.ts')) {
      files.add(path);
    } else {
      problems.push(`${input}: not a TypeScript or JavaScript file (expected .ts, .tsx, .js, .jsx, .mjs or .cjs)`);
    }
  }
  return { files: [...files].sort(), problems };
}

function walk(directory: string, into: Set<string>): void {
  const stack = [directory];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of entries) {
      const path = join(dir, name);
      let stat;
      try {
        stat = statSync(path);
      } catch {
        continue;
      }
      if (stat.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(name) && !name.startsWith('.')) stack.push(path);
      } else if (SOURCE.test(name) && !name.endsWith('.d.ts')) {
        into.add(path);
      }
    }
  }
}

function filesOfTsconfig(path: string): string[] | string {
  const read = ts.readConfigFile(path, ts.sys.readFile);
  if (read.error) return `cannot read it: ${ts.flattenDiagnosticMessageText(read.error.messageText, ' ')}`;
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, dirname(path), undefined, path);
  const fatal = parsed.errors.filter((e) => e.category === ts.DiagnosticCategory.Error && e.code !== 18003);
  if (fatal.length > 0) return fatal.map((e) => ts.flattenDiagnosticMessageText(e.messageText, ' ')).join('; ');
  return parsed.fileNames.filter((f) => !f.endsWith('.d.ts'));
}
