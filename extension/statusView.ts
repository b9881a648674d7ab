// What the status bar item shows for each state of the server. Pure, so the wording lives in one place.
import type { StatusParams } from './protocol';

export type ServerState =
  | { kind: 'starting' }
  /** `crashes`: how often the server died and was restarted in this session; worth knowing when results look odd. */
  | { kind: 'running'; status: StatusParams; crashes: number }
  | { kind: 'stopped'; reason: string };

export interface StatusView {
  text: string;
  tooltip: string;
  /** Shown with the theme's error background. */
  error: boolean;
}

export function statusView(state: ServerState, trusted: boolean): StatusView {
  const trustNote = trusted ? '' : '\n\nRestricted Mode: profile runs are off until you trust this workspace.';
  const clickNote = '\n\nClick to show the Parlens output.';
  switch (state.kind) {
    case 'starting':
      return { text: '$(loading~spin) Parlens', tooltip: `Parlens: starting the language server…${trustNote}${clickNote}`, error: false };
    case 'running': {
      const icon = state.status.state === 'analyzing' ? '$(sync~spin)' : '$(pulse)';
      const crashNote = state.crashes > 0
        ? `\n\nThe server crashed ${state.crashes === 1 ? 'once' : `${state.crashes} times`} and was restarted; the output has the details.`
        : '';
      return { text: `${icon} Parlens`, tooltip: `${state.status.detail}${crashNote}${trustNote}${clickNote}`, error: false };
    }
    case 'stopped':
      return {
        text: '$(error) Parlens',
        tooltip: `Parlens: the language server stopped: ${state.reason}\nRun "Developer: Reload Window" to start it again.${clickNote}`,
        error: true,
      };
  }
}
