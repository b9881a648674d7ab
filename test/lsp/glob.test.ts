// parlens.exclude globs (server/lsp/glob.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { globToRegExp, isExcluded } from '../../server/lsp/glob';

test('** matches any number of folders, * stays inside one segment', () => {
  assert.ok(isExcluded('/w/node_modules/x/y.js', ['**/node_modules/**']));
  assert.ok(isExcluded('/w/a/b/node_modules/y.js', ['**/node_modules/**']));
  assert.ok(!isExcluded('/w/node_modules_old/y.js', ['**/node_modules/**']));
  assert.ok(isExcluded('/w/lib/app.min.js', ['**/*.min.js']));
  assert.ok(!isExcluded('/w/lib/app.js', ['**/*.min.js']));
  assert.ok(globToRegExp('src/*.ts').test('src/a.ts'));
  assert.ok(!globToRegExp('src/*.ts').test('src/deep/a.ts'));
  assert.ok(globToRegExp('src/**/*.ts').test('src/a.ts'));
  assert.ok(globToRegExp('src/**/*.ts').test('src/x/y/a.ts'));
});

test('braces, ?, classes, and names without a slash', () => {
  assert.ok(globToRegExp('**/*.{js,mjs}').test('a/b.mjs'));
  assert.ok(!globToRegExp('**/*.{js,mjs}').test('a/b.ts'));
  assert.ok(globToRegExp('file?.ts').test('deep/file1.ts'));
  assert.ok(globToRegExp('[ab].ts').test('b.ts'));
  assert.ok(!globToRegExp('[!ab].ts').test('a.ts'));
  assert.ok(isExcluded('/w/x/generated.ts', ['generated.ts']), 'a bare name matches in any folder');
  assert.ok(globToRegExp('a.b').test('a.b') && !globToRegExp('a.b').test('axb'), 'dots are literal');
});

test('patterns relative to a workspace folder apply to absolute paths under it', () => {
  assert.ok(isExcluded('/w/project/build/out.js', ['build/**'], ['/w/project']));
  assert.ok(!isExcluded('/w/project/src/build/out.js', ['build/**'], ['/w/project']));
  assert.ok(isExcluded('C:\\w\\p\\dist\\a.js', ['dist/**'], ['C:\\w\\p']));
});
