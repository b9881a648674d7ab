// Headless Chromium (Debian's, at /usr/bin/chromium) with a fresh profile and no background network traffic.
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { chromiumPath } from './paths';

export interface Browser {
  context: BrowserContext;
  /** Closes Chromium and deletes its profile. */
  close(): Promise<void>;
}

/** `parentDir`: the run's scratch folder, so that deleting it also deletes the profile, even after an interrupt. */
export async function launchBrowser(parentDir: string): Promise<Browser> {
  // launchPersistentContext is Playwright's way to pass --user-data-dir: a fresh folder per run.
  const profile = mkdtempSync(join(parentDir, 'chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1400, height: 900 },
    timeout: 60_000,
  });
  return {
    context,
    close: async () => {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
