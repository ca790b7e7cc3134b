// The JSONPath subset check files use to assert on and extract from JSON answers: `$`, `.key`,
// `['key with spaces']`, `[0]`, `[-1]`. Enough for `$.session.token` or `$.items[0].id`; no
// filters or wildcards (an assertion names one value).

export type PathSegment = string | number;

/** The segments of a path, or an Error saying where it does not parse. */
export function parsePath(path: string): PathSegment[] | Error {
  if (!path.startsWith('$')) return new Error(`"${path}" must start with $`);
  const out: PathSegment[] = [];
  const re = /\.([A-Za-z_$][\w$-]*)|\[(-?\d+)\]|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\]/y;
  let i = 1;
  while (i < path.length) {
    re.lastIndex = i;
    const m = re.exec(path);
    if (!m) return new Error(`"${path}" does not parse at character ${i + 1}`);
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push((m[3] ?? m[4] ?? '').replace(/\\(.)/g, '$1'));
    i = re.lastIndex;
  }
  return out;
}

/** The value at `path` in `doc`, or `undefined` when any segment is missing. */
export function valueAt(doc: unknown, path: string): unknown {
  const segments = parsePath(path);
  if (segments instanceof Error) return undefined;
  let cur: unknown = doc;
  for (const s of segments) {
    if (typeof s === 'number') {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[s < 0 ? cur.length + s : s];
    } else {
      if (!cur || typeof cur !== 'object' || Array.isArray(cur) || !Object.hasOwn(cur, s)) return undefined;
      cur = (cur as Record<string, unknown>)[s];
    }
  }
  return cur;
}
