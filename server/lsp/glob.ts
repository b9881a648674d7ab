// A small glob matcher for `parlens.exclude` (Node 20 has no stable one): `**` any number of folders, `*` any run of
// characters within one path segment, `?` one character, `{a,b}` alternatives, `[abc]` character classes.
// Paths are matched with forward slashes; a pattern without a slash matches a file name in any folder (like .gitignore).

const cache = new Map<string, RegExp>();

export function globToRegExp(pattern: string): RegExp {
  const cached = cache.get(pattern);
  if (cached) return cached;
  let glob = pattern.replace(/\\/g, '/');
  if (!glob.includes('/')) glob = `**/${glob}`;
  let source = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const slashAfter = glob[i + 2] === '/';
        const atSegmentStart = i === 0 || glob[i - 1] === '/';
        i += slashAfter ? 2 : 1;
        // `**/` matches zero or more whole folders; a trailing `**` matches everything below.
        source += atSegmentStart && slashAfter ? '(?:[^/]*/)*' : '.*';
      } else {
        source += '[^/]*';
      }
    } else if (c === '?') source += '[^/]';
    else if (c === '{') { braces++; source += '(?:'; }
    else if (c === '}' && braces > 0) { braces--; source += ')'; }
    else if (c === ',' && braces > 0) source += '|';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close < 0) source += '\\[';
      else {
        const body = glob.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\');
        source += `[${body}]`;
        i = close;
      }
    } else source += c.replace(/[.+^$()|\\]/g, '\\$&');
  }
  const regexp = new RegExp(`^${source}$`);
  cache.set(pattern, regexp);
  return regexp;
}

/**
 * True when `path` (absolute, or relative to a workspace folder) matches one of the patterns. Absolute paths are
 * matched as they are and relative to each root, so `dist/**` excludes `<root>/dist/x.js`.
 */
export function isExcluded(path: string, patterns: readonly string[], roots: readonly string[] = []): boolean {
  const normal = path.replace(/\\/g, '/');
  const candidates = [normal];
  for (const root of roots) {
    const r = root.replace(/\\/g, '/').replace(/\/$/, '');
    if (normal.startsWith(`${r}/`)) candidates.push(normal.slice(r.length + 1));
  }
  return patterns.some((p) => {
    const re = globToRegExp(p);
    return candidates.some((c) => re.test(c));
  });
}
