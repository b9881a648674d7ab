// The wire contract between this client and the Parlens language server (server/lsp/). Names and shapes here
// must match the server's; they are plain data so that vscode-free code (and tests) can import them.

/** Client-side commands, contributed in package.json. The server's code lenses and code actions call two of them. */
export const ClientCommands = {
  analyzeWorkspace: 'parlens.analyzeWorkspace',
  /** Arguments: document URI (string), line number. Runs user code, so it needs a trusted workspace. */
  profileRun: 'parlens.profileRun',
  showProfile: 'parlens.showProfile',
  /** Argument: {@link ExplainArgs}. */
  explain: 'parlens.explain',
  showOutput: 'parlens.showOutput',
} as const;

/** Server-side command, sent as `workspace/executeCommand`; answers a {@link WorkspaceSummary}. */
export const ServerCommands = {
  analyzeWorkspace: 'parlens.server.analyzeWorkspace',
} as const;

/** Notification from the server whenever its analysis starts or finishes. */
export const StatusNotification = 'parlens/status';

export interface StatusParams {
  state: 'idle' | 'analyzing';
  detail: string;
}

// The summary's shape is the server's (one definition for both ends of the wire); the client checks it on arrival.
export type { WorkspaceSummary } from '../server/lsp/workspaceAnalysis';
import type { WorkspaceSummary } from '../server/lsp/workspaceAnalysis';

export interface ExplainArgs {
  title: string;
  markdown: string;
}

const summaryCounts: readonly (keyof WorkspaceSummary)[] = [
  'files', 'loops', 'parallel', 'reduction', 'sequential', 'unknown', 'awaitOpportunities',
];

// Values arrive over the wire untyped: check them before trusting the contract, so a mismatch between client and
// server versions is reported as such instead of rendering "undefined loops".
export function isWorkspaceSummary(value: unknown): value is WorkspaceSummary {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return summaryCounts.every((key) => typeof record[key] === 'number')
    && Array.isArray(record.errors) && record.errors.every((error) => typeof error === 'string')
    && typeof record.cancelled === 'boolean';
}

export function isStatusParams(value: unknown): value is StatusParams {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (record.state === 'idle' || record.state === 'analyzing') && typeof record.detail === 'string';
}

export function isExplainArgs(value: unknown): value is ExplainArgs {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.title === 'string' && typeof record.markdown === 'string';
}
