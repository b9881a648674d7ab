// Where the end-to-end test keeps things. The tools (Node 24, code-server) and the .vsix live in the git-ignored
// .cache/e2e/ with their own package.json, so the project's package.json and lockfile never see them.
import { resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '..', '..');
export const cacheDir = resolve(repoRoot, '.cache', 'e2e');
export const vsixPath = resolve(cacheDir, 'parlens.vsix');
/** Screenshots and logs a person looks at after a run (git-ignored). */
export const resultsDir = resolve(repoRoot, 'test-results', 'e2e');
/** The workspace the editor opens: the repository's examples. */
export const examplesDir = resolve(repoRoot, 'examples');
export const chromiumPath = '/usr/bin/chromium';
