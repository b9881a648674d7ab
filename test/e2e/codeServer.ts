// Starts code-server on a free loopback port with fresh user data, extensions and config folders, the Parlens
// .vsix installed, and no network calls (no gallery, telemetry or update checks). `stop()` ends the whole
// process tree: code-server, its extension host and the Parlens language server.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { runLogged, stopGroup, tail } from './processes';
import type { Tools } from './tools';

export interface CodeServer {
  url: string;
  userDataDir: string;
  logFile: string;
  stop(): Promise<void>;
  /** Set while the server runs, for a last-resort synchronous kill on exit. */
  pid: number | undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

// Quiet, fast and deterministic: no welcome page, no tips, no AI side panels, short hover delay.
const userSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.ignoreRecommendations': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'editor.hover.delay': 200,
  'editor.minimap.enabled': false,
  'window.commandCenter': false,
  // The examples folder sits inside this repository; the prompt to open the parent repository would cover the editor.
  'git.openRepositoryInParentFolders': 'never',
};

/**
 * `workspaceTrust: false` runs with --disable-workspace-trust (every folder trusted); `true` keeps VS Code's Workspace
 * Trust, so a folder can be opened in Restricted Mode.
 */
export async function startCodeServer(tools: Tools, workDir: string, vsix: string, startupTimeoutMs: number, workspaceTrust = false): Promise<CodeServer> {
  const userDataDir = join(workDir, 'user-data');
  const extensionsDir = join(workDir, 'extensions');
  const configFile = join(workDir, 'config.yaml');
  const logFile = join(workDir, 'code-server.log');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(userSettings, null, 2));
  const port = await freePort();
  writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  // EXTENSIONS_GALLERY '{}' keeps code-server off the marketplace: everything the test needs is local.
  // XDG folders inside workDir: code-server otherwise writes a heartbeat and logs under ~/.local/share.
  const env = { ...tools.env, EXTENSIONS_GALLERY: '{}', XDG_DATA_HOME: join(workDir, 'xdg-data'), XDG_CONFIG_HOME: join(workDir, 'xdg-config') };
  const common = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--config', configFile];

  await runLogged(tools.node, [tools.codeServer, ...common, '--install-extension', vsix], { cwd: workDir, env, logFile, timeoutMs: 2 * 60_000 });
  if (!tail(logFile).includes('was successfully installed')) {
    throw new Error(`code-server did not confirm installing ${vsix}. Its log (${logFile}) ends with:\n${tail(logFile)}`);
  }

  const fd = openSync(logFile, 'a');
  const child = spawn(
    tools.node,
    [
      tools.codeServer, ...common, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
      ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    ],
    { cwd: workDir, env, stdio: ['ignore', fd, fd], detached: true },
  );
  closeSync(fd);
  let exited: string | undefined;
  child.on('exit', (code, signal) => { exited = signal ?? `exit code ${code}`; });
  const server: CodeServer = {
    url: `http://127.0.0.1:${port}`,
    userDataDir,
    logFile,
    pid: child.pid,
    stop: async () => {
      await stopGroup(child.pid);
      server.pid = undefined;
    },
  };

  const deadline = Date.now() + startupTimeoutMs;
  for (;;) {
    if (exited !== undefined) {
      await server.stop();
      throw new Error(`code-server exited during startup (${exited}). Its log (${logFile}) ends with:\n${tail(logFile)}`);
    }
    try {
      const response = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return server;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`code-server did not answer ${server.url}/healthz within ${startupTimeoutMs / 1000} s. Its log (${logFile}) ends with:\n${tail(logFile)}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}
