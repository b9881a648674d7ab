// One editor session: a fresh code-server with the .vsix installed, Chromium showing the examples folder, and the
// cleanup of both. Every open session is tracked, so an interrupted run can still stop them all.
import { copyFileSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, type Browser } from './browser';
import { startCodeServer, type CodeServer } from './codeServer';
import { examplesDir, resultsDir } from './paths';
import { killGroup } from './processes';
import type { Tools } from './tools';
import { Workbench } from './workbench';

export interface Session {
  name: string;
  server: CodeServer;
  page: Page;
  workbench: Workbench;
  close(): Promise<void>;
}

/** Running code-servers and their session names. */
const running = new Map<CodeServer, string>();

/** Synchronous last resort for exit and signal handlers. */
export function killAllSessions(): void {
  for (const server of running.keys()) killGroup(server.pid, 'SIGKILL');
}

function findFiles(dir: string, pattern: RegExp): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...findFiles(path, pattern));
    else if (pattern.test(name)) found.push(path);
  }
  return found;
}

/** Copies the logs that explain a failure — code-server's and the Parlens output channel's — to test-results/e2e/. */
export function keepLogs(name: string, server: CodeServer): void {
  copyFileSync(server.logFile, join(resultsDir, `${name}-code-server.log`));
  for (const file of findFiles(join(server.userDataDir, 'logs'), /Parlens\.log$/)) {
    copyFileSync(file, join(resultsDir, `${name}-parlens-output.log`));
  }
}

/** Copies the logs of every running session (for the watchdog, which abandons the run). */
export function keepAllLogs(): void {
  for (const [server, name] of running) keepLogs(name, server);
}

export interface SessionOptions {
  name: string;
  tools: Tools;
  vsix: string;
  /** Scratch folder of the whole run; the session gets a subfolder. */
  workDir: string;
  workspaceTrust: boolean;
  startupTimeoutMs: number;
  log: (line: string) => void;
}

export async function openSession(options: SessionOptions): Promise<Session> {
  const workDir = join(options.workDir, options.name);
  mkdirSync(workDir, { recursive: true });
  options.log(`${options.name}: starting code-server`);
  const server = await startCodeServer(options.tools, workDir, options.vsix, options.startupTimeoutMs, options.workspaceTrust);
  running.set(server, options.name);
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    try {
      keepLogs(options.name, server);
    } catch (error) {
      options.log(`${options.name}: could not copy the logs: ${(error as Error).message}`);
    }
    await server.stop();
    running.delete(server);
  };
  try {
    options.log(`${options.name}: code-server is up at ${server.url}; opening ${examplesDir} in Chromium`);
    browser = await launchBrowser(workDir);
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await page.goto(`${server.url}/?folder=${encodeURIComponent(examplesDir)}`, { timeout: options.startupTimeoutMs });
    return { name: options.name, server, page, workbench: new Workbench(page), close };
  } catch (error) {
    await close();
    throw error;
  }
}
