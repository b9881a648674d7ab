// The `parlens.*` settings, read live from the client (`workspace/configuration`) and re-read when they change.
import { availableParallelism } from 'node:os';
import type { Connection } from 'vscode-languageserver';

export interface Settings {
  loops: { enable: boolean };
  futures: { enable: boolean };
  codeLens: { enable: boolean };
  hover: { enable: boolean };
  diagnostics: { enable: boolean; opportunitySeverity: 'information' | 'hint' };
  exclude: string[];
  estimate: { workers: number };
}

export const defaultSettings: Settings = {
  loops: { enable: true },
  futures: { enable: true },
  codeLens: { enable: true },
  hover: { enable: true },
  diagnostics: { enable: true, opportunitySeverity: 'information' },
  exclude: ['**/node_modules/**', '**/dist/**', '**/out/**', '**/*.min.js'],
  estimate: { workers: 0 },
};

/** Worker count for estimates: the setting, or this machine's parallelism when it is 0. */
export function workerCount(settings: Settings): number {
  return settings.estimate.workers > 0 ? Math.floor(settings.estimate.workers) : availableParallelism();
}

/** Fills what the client left out (or sent with the wrong type) with the defaults, so handlers never see undefined. */
export function normaliseSettings(raw: unknown): Settings {
  const r = (raw ?? {}) as Record<string, any>;
  const bool = (v: unknown, d: boolean) => (typeof v === 'boolean' ? v : d);
  const severity = r.diagnostics?.opportunitySeverity === 'hint' ? 'hint' : 'information';
  const workers = Number(r.estimate?.workers);
  return {
    loops: { enable: bool(r.loops?.enable, true) },
    futures: { enable: bool(r.futures?.enable, true) },
    codeLens: { enable: bool(r.codeLens?.enable, true) },
    hover: { enable: bool(r.hover?.enable, true) },
    diagnostics: { enable: bool(r.diagnostics?.enable, true), opportunitySeverity: severity },
    exclude: Array.isArray(r.exclude) ? r.exclude.filter((p: unknown): p is string => typeof p === 'string') : defaultSettings.exclude,
    estimate: { workers: Number.isFinite(workers) && workers >= 0 ? workers : 0 },
  };
}

export class SettingsStore {
  private value: Settings = defaultSettings;

  constructor(private readonly connection: Connection, private readonly canAsk: () => boolean) {}

  get current(): Settings {
    return this.value;
  }

  /** Asks the client; keeps the defaults when it cannot answer (an editor without `workspace/configuration`). */
  async refresh(pushed?: unknown): Promise<Settings> {
    if (this.canAsk()) {
      try {
        this.value = normaliseSettings(await this.connection.workspace.getConfiguration({ section: 'parlens' }));
        return this.value;
      } catch (error) {
        this.connection.console.warn(`Parlens: could not read the settings (${(error as Error).message}); using the previous ones.`);
      }
    } else if (pushed && typeof pushed === 'object' && 'parlens' in pushed) {
      this.value = normaliseSettings((pushed as { parlens: unknown }).parlens);
    }
    return this.value;
  }
}
