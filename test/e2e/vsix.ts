// Packages the extension the way it ships (`vsce package`) and lists what the package holds, so the test can check
// .vscodeignore: the bundles and docs go in; sources, tests, node_modules and caches stay out.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, repoRoot, vsixPath } from './paths';
import { runLogged } from './processes';

const vsce = join(repoRoot, 'node_modules', '.bin', 'vsce');
// --no-dependencies: esbuild bundled them. --no-rewrite-relative-links: there is no public repository URL to
// rewrite README links against.
const flags = ['--no-dependencies', '--no-rewrite-relative-links'];

export async function packageVsix(): Promise<string> {
  rmSync(vsixPath, { force: true });
  await runLogged(vsce, ['package', ...flags, '--out', vsixPath], { cwd: repoRoot, logFile: join(cacheDir, 'vsce.log'), timeoutMs: 3 * 60_000 });
  return vsixPath;
}

/**
 * The extension's files inside a packaged .vsix (a zip), relative to the extension root. Read from the zip's central
 * directory, so the check is on the artifact that code-server installs, not on a second vsce run.
 */
export function vsixFiles(vsix: string): string[] {
  const zip = readFileSync(vsix);
  // End of central directory record: signature 0x06054b50, then entry count at +10 and directory offset at +16.
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error(`${vsix} is not a zip file`);
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error(`${vsix}: damaged central directory`);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    // Outside extension/ are only the package's own manifest files ([Content_Types].xml, extension.vsixmanifest).
    if (name.startsWith('extension/')) files.push(name.slice('extension/'.length));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}
