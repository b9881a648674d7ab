// Bundles every entry point into dist/ with esbuild. `vscode` stays external: the editor provides it.
import { build } from 'esbuild';
import { chmod, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';

const entryPoints = {
  extension: 'extension/extension.ts',
  server: 'server/lsp/main.ts',
  // The language server's analysis thread (server/lsp/analysisService.ts loads it from next to server.js and cli.js).
  'analysis-worker': 'server/lsp/analysisWorker.ts',
  cli: 'server/cli/main.ts',
  runtime: 'runtime/index.ts',
  worker: 'runtime/worker.ts',
  webview: 'webview/main.ts',
  'esbuild-plugin': 'server/esbuild/plugin.ts',
};

const present = Object.fromEntries(Object.entries(entryPoints).filter(([, file]) => existsSync(file)));
await mkdir('dist', { recursive: true });
await build({
  entryPoints: present,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  // esbuild stays external to the plugin: the user's build provides it.
  external: ['vscode', 'esbuild'],
  logLevel: 'warning',
});
if (present.cli) {
  await chmod('dist/cli.js', 0o755);
}
