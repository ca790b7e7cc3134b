// The critical path of a trace: the chain of spans that set its end-to-end duration. From the
// root, walk back from its end taking the child that finished last before the cursor, descend
// into it, and continue before that child's start; spans off the chain could have been slower
// without making the trace slower.
export interface PathSpan {
  spanId: string;
  parentSpanId?: string | null;
  startMs: number;
  endMs: number;
}

export function criticalPath(spans: readonly PathSpan[]): Set<string> {
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string, PathSpan[]>();
  for (const s of spans) {
    const p = s.parentSpanId && ids.has(s.parentSpanId) ? s.parentSpanId : '';
    if (!p) continue;
    const list = children.get(p) ?? [];
    list.push(s);
    children.set(p, list);
  }
  const roots = spans.filter((s) => !s.parentSpanId || !ids.has(s.parentSpanId));
  const root = roots.sort((a, b) => b.endMs - b.startMs - (a.endMs - a.startMs))[0];
  const onPath = new Set<string>();
  const walk = (span: PathSpan): void => {
    onPath.add(span.spanId);
    let cursor = span.endMs;
    const kids = [...(children.get(span.spanId) ?? [])].sort((a, b) => b.endMs - a.endMs);
    for (const kid of kids) {
      if (kid.endMs > cursor + 1e-6 && kid.startMs >= cursor) continue;
      if (kid.startMs >= cursor) continue;
      walk(kid);
      cursor = kid.startMs;
    }
  };
  if (root) walk(root);
  return onPath;
}
