// Unit checks of the extension's vscode-free pieces (the wire-contract guards and the texts the user reads). They
// run under `npm test`; the browser test (run.ts, `npm run test:e2e`) checks the same texts inside VS Code.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isExplainArgs, isStatusParams, isWorkspaceSummary, type WorkspaceSummary } from '../../extension/protocol';
import { statusView } from '../../extension/statusView';
import { formatSummary } from '../../extension/summary';

const summary: WorkspaceSummary = {
  files: 8, loops: 57, parallel: 21, reduction: 20, sequential: 8, unknown: 8, awaitOpportunities: 3, errors: [], cancelled: false,
};

test('the workspace summary reads as one sentence with every count', () => {
  assert.equal(formatSummary(summary), 'Parlens analysed 8 files: 57 loops (21 parallel, 20 reduction, 8 sequential, 8 unknown); 3 await opportunities.');
  assert.equal(
    formatSummary({ ...summary, files: 1, loops: 1, parallel: 1, reduction: 0, sequential: 0, unknown: 0, awaitOpportunities: 1 }),
    'Parlens analysed 1 file: 1 loop (1 parallel, 0 reduction, 0 sequential, 0 unknown); 1 await opportunity.',
  );
});

test('problems and cancellation are part of the summary', () => {
  const text = formatSummary({ ...summary, cancelled: true, errors: ['a.ts: cannot read', 'b.ts: cannot read'] });
  assert.match(text, /^Parlens analysis cancelled after 8 files/);
  assert.match(text, /2 problems: a\.ts: cannot read \(more in Parlens: Show Output\)\.$/);
});

test('wire guards accept the contract and reject anything else', () => {
  assert.ok(isWorkspaceSummary(summary));
  assert.ok(!isWorkspaceSummary({ ...summary, errors: 0 }), 'errors is a list of messages');
  assert.ok(!isWorkspaceSummary({ ...summary, loops: '57' }));
  assert.ok(!isWorkspaceSummary(null));
  assert.ok(isStatusParams({ state: 'analyzing', detail: 'x' }));
  assert.ok(!isStatusParams({ state: 'busy', detail: 'x' }));
  assert.ok(isExplainArgs({ title: 't', markdown: 'm' }));
  assert.ok(!isExplainArgs(['t', 'm']));
});

test('the status item shows the server state, crashes and Restricted Mode', () => {
  assert.equal(statusView({ kind: 'starting' }, true).text, '$(loading~spin) Parlens');
  const analysing = statusView({ kind: 'running', status: { state: 'analyzing', detail: 'Analysing 3 files' }, crashes: 0 }, true);
  assert.equal(analysing.text, '$(sync~spin) Parlens');
  assert.match(analysing.tooltip, /^Analysing 3 files/);
  assert.doesNotMatch(analysing.tooltip, /crashed|Restricted/);
  const idle = statusView({ kind: 'running', status: { state: 'idle', detail: 'ok' }, crashes: 2 }, false);
  assert.equal(idle.text, '$(pulse) Parlens');
  assert.match(idle.tooltip, /crashed 2 times and was restarted/);
  assert.match(idle.tooltip, /Restricted Mode: profile runs are off/);
  const stopped = statusView({ kind: 'stopped', reason: 'it crashed' }, true);
  assert.ok(stopped.error);
  assert.equal(stopped.text, '$(error) Parlens');
  assert.match(stopped.tooltip, /Developer: Reload Window/);
});
