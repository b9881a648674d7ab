// Entry point of dist/server.js: the VS Code client starts it over IPC (`--node-ipc`); other editors run
// `parlens lsp --stdio` (server/cli/main.ts), which starts the same server.
import { startServer } from './server';

startServer();
