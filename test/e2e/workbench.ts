// Playwright helpers that drive the VS Code workbench the way a person does: quick open, command palette,
// notifications, code lenses and hovers. Selectors are VS Code's own DOM classes.
import type { Locator, Page } from 'playwright-core';

export interface Lens {
  /** 1-based line the lens sits above. */
  line: number;
  /** The titles of the lens's commands, left to right. */
  titles: string[];
}

export class Workbench {
  constructor(readonly page: Page) {}

  async waitReady(timeoutMs: number): Promise<void> {
    await this.page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: timeoutMs });
    // The explorer shows the folder once the workspace has loaded; before that, quick open finds nothing.
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: timeoutMs });
  }

  async openFile(name: string): Promise<void> {
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 10_000 });
    await input.fill(name);
    // Results arrive asynchronously (file search); Enter before they do opens nothing.
    await this.page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 30_000 });
    await this.page.keyboard.press('Enter');
    await this.page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ timeout: 15_000 });
    await this.page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ timeout: 15_000 });
  }

  async runCommand(label: string): Promise<void> {
    await this.page.keyboard.press('Control+Shift+P');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 10_000 });
    await input.fill(`>${label}`);
    await this.page.locator('.quick-input-widget .monaco-list-row', { hasText: label }).first().waitFor({ timeout: 15_000 });
    await this.page.keyboard.press('Enter');
  }

  /** The visible notification toast whose text matches. */
  notification(text: RegExp): Locator {
    return this.page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
  }

  /** The Parlens status bar item. */
  status(): Locator {
    return this.page.locator('.statusbar-item', { hasText: /^\s*Parlens\s*$/ }).first();
  }

  /** The status item's accessible label: the extension puts its full state there (the tooltip text). */
  async statusLabel(): Promise<string> {
    return this.status().evaluate((item) => (item.getAttribute('aria-label') ?? item.querySelector('[aria-label]')?.getAttribute('aria-label') ?? ''));
  }

  /** Polls `condition` until it holds; fails with `what` after `timeoutMs`. */
  async until(what: string, condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs / 1000} s`);
      await this.page.waitForTimeout(250);
    }
  }

  /**
   * Waits for `wanted`, but gives up at once if the Parlens status bar reports a stopped server: then nothing the
   * server provides will come, and the status tooltip says why.
   */
  async waitForServer(wanted: Locator, what: string, timeoutMs: number): Promise<void> {
    const stopped = this.status().locator('.codicon-error');
    try {
      await wanted.or(stopped).first().waitFor({ timeout: timeoutMs });
    } catch {
      throw new Error(`${what} did not appear within ${timeoutMs / 1000} s. Look at test-results/e2e/*-parlens-output.log and the failure screenshot.`);
    }
    if (await stopped.isVisible()) {
      const tooltip = await this.statusLabel();
      throw new Error(`${what} cannot appear: the Parlens status bar reports the language server stopped (${tooltip}). See test-results/e2e/*-parlens-output.log.`);
    }
  }

  editor(): Locator {
    return this.page.locator('.editor-instance .monaco-editor').first();
  }

  /**
   * Code lenses in the viewport with the line each stands above. Monaco renders a lens as a content widget in a
   * view zone, outside the line's DOM, so the line is found by position: the first line number below the lens.
   */
  async visibleLenses(): Promise<Lens[]> {
    const editor = this.editor();
    const lineTops = await editor.locator('.margin-view-overlays .line-numbers').evaluateAll((elements) =>
      elements.map((element) => ({ line: Number(element.textContent?.trim()), top: element.getBoundingClientRect().top })),
    );
    // Monaco keeps lenses of lines scrolled out of view in the DOM, hidden and parked at the top; skip those.
    const lenses = await editor.locator('.codelens-decoration').evaluateAll((elements) =>
      elements
        .filter((element) => element.checkVisibility({ visibilityProperty: true }))
        .map((element) => ({
          top: element.getBoundingClientRect().top,
          titles: Array.from(element.querySelectorAll('a')).map((anchor) => anchor.textContent?.trim() ?? ''),
        })),
    );
    const result: Lens[] = [];
    for (const lens of lenses) {
      const below = lineTops.filter((entry) => entry.top > lens.top && Number.isInteger(entry.line)).sort((a, b) => a.top - b.top)[0];
      if (below) result.push({ line: below.line, titles: lens.titles });
    }
    return result.sort((a, b) => a.line - b.line);
  }

  /** The token `text` on 1-based line `line`, located through the line number gutter's position. */
  async tokenOnLine(line: number, text: string): Promise<Locator> {
    const editor = this.editor();
    const gutter = editor.locator('.margin-view-overlays .line-numbers', { hasText: new RegExp(`^\\s*${line}\\s*$`) }).first();
    const box = await gutter.boundingBox();
    if (!box) throw new Error(`Line ${line} is not on screen.`);
    const tokens = editor.locator('.view-lines .view-line span', { hasText: new RegExp(`^${text}$`) });
    const count = await tokens.count();
    for (let i = 0; i < count; i++) {
      const tokenBox = await tokens.nth(i).boundingBox();
      if (tokenBox && Math.abs(tokenBox.y - box.y) < box.height / 2) return tokens.nth(i);
    }
    throw new Error(`No "${text}" token on line ${line}.`);
  }
}
