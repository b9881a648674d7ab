// End-to-end test of the packaged extension in a real VS Code (code-server) driven by headless Chromium.
// `npm run test:e2e` builds, then runs this file: it installs the tools once (tools.ts), packages the .vsix, installs
// it into fresh code-servers, opens the repository's examples and checks what a person would see — code lenses,
// hovers, the Analyze Workspace result, the status bar, explanations, a server crash — against the CLI's analysis
// of the same folder; then, in a second session, that Restricted Mode keeps the analysis but refuses profile runs.
// Screenshots and logs land in test-results/e2e/. Every process started here is stopped at the end, also on failure.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { analyzeWithCli, type CliReport } from './cliReference';
import { examplesDir, repoRoot, resultsDir } from './paths';
import { findInGroup } from './processes';
import { keepAllLogs, killAllSessions, openSession, type Session } from './session';
import { checkChromium, ensureTools, type Tools } from './tools';
import { packageVsix, vsixFiles } from './vsix';
import type { Workbench } from './workbench';

const exampleFile = 'preprocess.ts';
const notInVsix = ['cli.js', 'esbuild-plugin.js'];
const verdictTitle = /^(parallel|reduction|sequential|unknown) · /;
// Generous, because code-server's first start on a busy 2-core machine takes 30 s or more; but finite.
const startupTimeoutMs = 180_000;
const serverTimeoutMs = 120_000;
const overallLimitMs = 40 * 60_000;

const log = (line: string) => console.log(`# e2e ${new Date().toISOString().slice(11, 19)} ${line}`);
const workDir = mkdtempSync(join(tmpdir(), 'parlens-e2e-'));
let tools: Tools;
let vsix: string;
let reference: CliReport;
// The session the running checks drive, and its page and workbench for the helpers below.
let session: Session | undefined;
let page: Page | undefined;
let workbench: Workbench;

// Last resort when the test itself is interrupted: no code-server group may outlive it.
process.on('exit', () => {
  killAllSessions();
  rmSync(workDir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killAllSessions();
    process.exit(1);
  });
}
const watchdog = setTimeout(() => {
  console.error(`e2e: still running after ${overallLimitMs / 60_000} minutes; stopping everything. Logs and screenshots: ${resultsDir}.`);
  try {
    keepAllLogs();
  } catch {
    // Best effort: the run is being abandoned anyway.
  }
  killAllSessions();
  process.exit(1);
}, overallLimitMs);
watchdog.unref();

async function screenshot(name: string): Promise<void> {
  const file = join(resultsDir, `${name}.png`);
  // Fast-forward the fade-in of hovers and toasts: the picture shows what a person sees once it has settled.
  await page?.screenshot({ path: file, animations: 'disabled' });
  log(`screenshot ${file}`);
}

/** Runs a check; on failure saves a screenshot named after it, so the failure can be seen, then rethrows. */
async function step(name: string, check: () => Promise<void>): Promise<void> {
  // A dialog or widget left open by an earlier check would swallow this one's keystrokes.
  await page?.keyboard.press('Escape');
  await page?.keyboard.press('Escape');
  try {
    await check();
  } catch (error) {
    await screenshot(`${name}-failure`).catch(() => undefined);
    throw error;
  }
}

/** Opens a session and makes it the one the checks drive. */
async function startSession(name: string, workspaceTrust: boolean): Promise<Session> {
  const opened = await openSession({ name, tools, vsix, workDir, workspaceTrust, startupTimeoutMs, log });
  session = opened;
  page = opened.page;
  workbench = opened.workbench;
  return opened;
}

async function endSession(): Promise<void> {
  await session?.close();
  session = undefined;
  page = undefined;
}

before(async () => {
  rmSync(resultsDir, { recursive: true, force: true });
  mkdirSync(resultsDir, { recursive: true });
  checkChromium();
  tools = await ensureTools(log);
  log('packaging the .vsix');
  vsix = await packageVsix();
  reference = analyzeWithCli(examplesDir);
}, { timeout: 30 * 60_000 });

after(() => {
  rmSync(workDir, { recursive: true, force: true });
  clearTimeout(watchdog);
});

test('the .vsix holds the bundles, manifest and docs, and nothing else', () => {
  const files = vsixFiles(vsix);
  // Every bundle the build makes runs in the editor, except the CLI and the esbuild plugin (npm entry points).
  const bundles = readdirSync(join(repoRoot, 'dist')).filter((name) => name.endsWith('.js') && !notInVsix.includes(name));
  for (const required of ['package.json', 'readme.md', ...bundles.map((name) => `dist/${name}`)]) {
    assert.ok(files.includes(required), `${required} is missing from the .vsix; list it in .vscodeignore (files: ${files.join(', ')})`);
  }
  assert.ok(files.includes('dist/server.js'), 'the language server dist/server.js is not in the .vsix');
  const unexpected = files.filter((file) => !/^(dist\/[\w-]+\.js|docs\/.+|package\.json|readme\.md|LICENSE(\.\w+)?|changelog\.md)$/.test(file) || notInVsix.includes(basename(file)));
  assert.deepEqual(unexpected, [], 'the .vsix holds files outside the editor bundles, docs/ and the manifest; fix .vscodeignore');
});

describe('Parlens in a trusted workspace (code-server --disable-workspace-trust)', () => {
  before(async () => {
    await startSession('trusted', false);
    await step('trusted-workbench', () => workbench.waitReady(startupTimeoutMs));
    log('trusted: workbench ready');
  }, { timeout: startupTimeoutMs * 2 });

  after(endSession);

  test('code lenses above the loops show the CLI\'s verdicts', async () => {
    await step('lenses', async () => {
      await workbench.openFile(exampleFile);
      await workbench.waitForServer(workbench.editor().locator('.codelens-decoration a', { hasText: verdictTitle }), 'A Parlens code lens', serverTimeoutMs);
      const lenses = await workbench.visibleLenses();
      const loopLenses = lenses.filter((lens) => lens.titles.some((title) => verdictTitle.test(title)));
      assert.ok(loopLenses.length > 0, `no loop lens; lenses seen: ${JSON.stringify(lenses)}`);
      const lastVisibleLine = Math.max(...lenses.map((lens) => lens.line));
      const expected = reference.loops.filter((loop) => basename(loop.file) === exampleFile && loop.line <= lastVisibleLine);
      assert.ok(expected.length >= 3, `expected several loops of ${exampleFile} on screen, the CLI lists ${JSON.stringify(expected)}`);
      for (const loop of expected) {
        const lens = lenses.find((candidate) => candidate.line === loop.line);
        assert.ok(lens, `no code lens above line ${loop.line} (the CLI says ${loop.verdict}); lenses: ${JSON.stringify(lenses)}`);
        assert.ok(lens.titles.some((title) => title.startsWith(`${loop.verdict} · `)), `the lens above line ${loop.line} says ${JSON.stringify(lens.titles)}, the CLI says ${loop.verdict}`);
      }
      log(`lenses: ${JSON.stringify(loopLenses)}`);
      await screenshot('1-code-lenses');
    });
  });

  test('hovering a loop keyword explains its verdict', async () => {
    await step('hover', async () => {
      const loop = reference.loops.find((candidate) => basename(candidate.file) === exampleFile);
      assert.ok(loop, `the CLI found no loop in ${exampleFile}`);
      const keyword = await workbench.tokenOnLine(loop.line, 'for');
      await keyword.hover();
      const hover = workbench.page.locator('.monaco-hover:visible').filter({ hasText: /\S/ }).first();
      await workbench.waitForServer(hover, `A hover over the loop keyword on line ${loop.line}`, 15_000);
      const text = await hover.innerText();
      assert.match(text, /Parlens/, `the hover on line ${loop.line} is not Parlens's: ${text}`);
      assert.match(text, new RegExp(`\\b${loop.verdict}\\b`, 'i'), `the hover on line ${loop.line} does not mention "${loop.verdict}": ${text}`);
      log(`hover on line ${loop.line}: ${text.replace(/\s+/g, ' ').slice(0, 200)}`);
      await screenshot('2-hover');
      await workbench.page.keyboard.press('Escape');
    });
  });

  test('Analyze Workspace reports the same totals as the CLI', async () => {
    await step('analyze', async () => {
      await workbench.runCommand('Parlens: Analyze Workspace');
      const toast = workbench.notification(/Parlens analysed/);
      await workbench.waitForServer(toast, 'The Analyze Workspace result message', serverTimeoutMs);
      const text = await toast.innerText();
      const match = /Parlens analysed (\d+) files?: (\d+) loops? \((\d+) parallel, (\d+) reduction, (\d+) sequential, (\d+) unknown\)/.exec(text);
      assert.ok(match, `unexpected message: ${text}`);
      const [, files, loops, parallel, reduction, sequential, unknown] = match.map(Number);
      assert.deepEqual(
        { files, loops, parallel, reduction, sequential, unknown },
        { files: reference.files, loops: reference.loops.length, ...reference.counts },
        `the editor's summary differs from: parlens analyze ${examplesDir}`,
      );
      assert.doesNotMatch(text, /\d+ problems?:/, 'the analysis of the examples should report no problem');
      await screenshot('3-analyze-workspace');
    });
  });

  test('the status bar shows the server idle and opens the Parlens output on click', async () => {
    await step('status', async () => {
      const item = workbench.status();
      // After the analysis the server reports idle: the pulse icon, not the spinning one.
      await workbench.waitForServer(item.locator('.codicon-pulse'), 'The idle Parlens status', serverTimeoutMs);
      assert.equal((await item.innerText()).trim(), 'Parlens');
      await item.click();
      // The output channel logged the summary of the analysis above.
      const output = workbench.page.locator('.part.panel .monaco-editor .view-lines', { hasText: 'Parlens analysed' }).first();
      await output.waitFor({ timeout: 15_000 }).catch(() => {
        throw new Error('clicking the status item did not show the Parlens output with the analysis summary');
      });
      await screenshot('4-output-from-status');
      await workbench.page.keyboard.press('Control+J'); // toggles the panel: closes it again for the checks that follow
      await output.waitFor({ state: 'hidden', timeout: 10_000 });
    });
  });

  test('clicking a verdict lens shows its explanation beside the editor', async () => {
    await step('explain', async () => {
      const loop = reference.loops.find((candidate) => basename(candidate.file) === exampleFile);
      assert.ok(loop, `the CLI found no loop in ${exampleFile}`);
      const lens = (await workbench.visibleLenses()).find((candidate) => candidate.line === loop.line);
      assert.ok(lens, `no lens above line ${loop.line}`);
      const title = lens.titles[0];
      // The lens runs parlens.explain with the server's { title, markdown }; the client opens a markdown preview.
      await workbench.editor().locator('.codelens-decoration a', { hasText: title }).first().click();
      const tab = workbench.page.locator('.tabs-container .tab', { hasText: new RegExp(`Preview ${loop.verdict} .* line ${loop.line}`) }).first();
      await tab.waitFor({ timeout: 30_000 }).catch(() => {
        throw new Error(`no markdown preview tab for the explanation of line ${loop.line} opened within 30 s`);
      });
      const preview = workbench.page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame').locator('body');
      await preview.getByText(`Parlens · ${loop.verdict}`).first().waitFor({ timeout: 30_000 });
      const text = await preview.innerText();
      assert.ok(text.includes(title), `the explanation does not repeat the lens title "${title}": ${text.slice(0, 300)}`);
      await screenshot('5-explain');
      // Back to a single editor for the checks that follow.
      await workbench.page.keyboard.press('Control+W');
      await tab.waitFor({ state: 'detached', timeout: 10_000 });
    });
  });

  test('Show Profile says no profile exists yet and how to record one', async () => {
    await step('show-profile', async () => {
      await workbench.runCommand('Parlens: Show Profile');
      const toast = workbench.notification(/has not recorded a profile/);
      await toast.waitFor({ timeout: 15_000 });
      assert.match(await toast.innerText(), /Parlens: Profile Run/);
    });
  });
  test('a crashed language server is restarted and the status bar says so', async () => {
    await step('crash', async () => {
      const group = session?.server.pid;
      assert.ok(group, 'code-server is not running');
      const before = findInGroup(group, 'dist/server.js');
      assert.equal(before.length, 1, `expected one Parlens language server process, found ${before.length}`);
      process.kill(before[0], 'SIGKILL');
      const restarted = workbench.page.locator('[aria-label*="The server crashed once and was restarted"]').first();
      await restarted.waitFor({ timeout: serverTimeoutMs }).catch(() => {
        throw new Error(`the status bar did not report the restart within ${serverTimeoutMs / 1000} s (see test-results/e2e/trusted-parlens-output.log)`);
      });
      await workbench.waitForServer(workbench.status().locator('.codicon-pulse'), 'The idle status after the restart', serverTimeoutMs);
      const after = findInGroup(group, 'dist/server.js');
      assert.equal(after.length, 1, `expected one language server after the restart, found ${after.length}`);
      assert.notEqual(after[0], before[0], 'the language server process was not replaced');
      // The restarted server answers requests: a workspace analysis goes to the new process and back. (Not a lens
      // click: the lenses are re-rendered when the new server sends them, and a click can land mid-refresh.)
      await workbench.runCommand('Notifications: Clear All Notifications');
      await workbench.notification(/Parlens analysed/).waitFor({ state: 'detached', timeout: 10_000 });
      await workbench.runCommand('Parlens: Analyze Workspace');
      await workbench.waitForServer(workbench.notification(/Parlens analysed \d+ files/), 'The analysis result from the restarted server', serverTimeoutMs);
      await workbench.status().hover();
      await workbench.page.locator('.monaco-hover', { hasText: 'crashed once' }).first().waitFor({ timeout: 10_000 });
      await screenshot('6-restarted-after-crash');
    });
  });
});

describe('Parlens in Restricted Mode (Workspace Trust on, folder not trusted)', () => {
  before(async () => {
    await startSession('restricted', true);
    // code-server opens an untrusted folder straight in Restricted Mode (VS Code asks first; then the answer is No).
    const restricted = workbench.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first();
    const refuse = workbench.page.getByRole('button', { name: /No, I don.t trust/i });
    await restricted.or(refuse).first().waitFor({ timeout: startupTimeoutMs }).catch(() => {
      throw new Error('the examples folder did not open in Restricted Mode, so the untrusted behaviour cannot be tested');
    });
    if (await refuse.isVisible()) await refuse.click();
    await restricted.waitFor({ timeout: 15_000 });
    await step('restricted-workbench', () => workbench.waitReady(startupTimeoutMs));
    log('restricted: workbench ready');
  }, { timeout: startupTimeoutMs * 2 });

  after(endSession);

  test('the analysis works untrusted, and the status says profile runs are off', async () => {
    await step('restricted-lenses', async () => {
      await workbench.openFile(exampleFile);
      await workbench.waitForServer(workbench.editor().locator('.codelens-decoration a', { hasText: verdictTitle }), 'A Parlens code lens in Restricted Mode', serverTimeoutMs);
      const label = await workbench.statusLabel();
      assert.match(label, /Restricted Mode: profile runs are off until you trust this workspace/);
      await workbench.status().hover();
      await workbench.page.locator('.monaco-hover', { hasText: 'profile runs are off' }).first().waitFor({ timeout: 10_000 });
      await screenshot('7-restricted-mode-lenses');
    });
  });

  test('the Profile lens refuses to run code and offers to manage trust', async () => {
    await step('restricted-profile', async () => {
      await workbench.editor().locator('.codelens-decoration a', { hasText: /^Profile$/ }).first().click();
      const warning = workbench.notification(/disabled in Restricted Mode/);
      await warning.waitFor({ timeout: 15_000 });
      assert.equal(await workbench.notification(/Parlens analysed/).count(), 0, 'the refused profile run still ran the analysis');
      await screenshot('8-restricted-profile-refused');
      await warning.getByRole('button', { name: 'Manage Workspace Trust' }).click();
      // The button opens VS Code's Workspace Trust editor (a modal editor, not a tab).
      await workbench.page.getByText('You are in Restricted Mode').first().waitFor({ timeout: 15_000 });
    });
  });

  test('trusting the folder enables profile runs without a reload', async () => {
    await step('restricted-trust', async () => {
      await workbench.runCommand('Workspaces: Manage Workspace Trust');
      await workbench.page.getByRole('button', { name: 'Trust', exact: true }).click({ timeout: 15_000 });
      await workbench.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ state: 'detached', timeout: 15_000 });
      // onDidGrantWorkspaceTrust re-rendered the status: no Restricted Mode note any more.
      await workbench.until('The Parlens status dropping its Restricted Mode note', async () => !(await workbench.statusLabel()).includes('Restricted Mode'), 15_000);
      await workbench.page.keyboard.press('Control+W'); // closes the Workspace Trust editor
      await workbench.page.getByText('You trust this folder').first().waitFor({ state: 'detached', timeout: 10_000 });
      await workbench.editor().locator('.codelens-decoration a', { hasText: /^Profile$/ }).first().click();
      await workbench.waitForServer(workbench.notification(/Parlens analysed \d+ files/), 'The result of the Profile lens once trusted', serverTimeoutMs);
      await screenshot('9-trusted-profile-runs');
    });
  });
});
