// Layered layout for the service map: callers left of callees (longest path from the entry
// services, cycles broken by visit order), nodes in a layer ordered by the mean position of their
// callers to cut crossings. A few dozen lines instead of a layout library for graphs of tens of nodes.
export interface LayoutNode {
  name: string;
  x: number;
  y: number;
  layer: number;
}

export function layeredLayout(
  names: string[],
  edges: Array<{ caller: string; callee: string }>,
  o = { dx: 200, dy: 70, pad: 40 },
): { nodes: LayoutNode[]; width: number; height: number } {
  const out = new Map<string, string[]>();
  const indeg = new Map(names.map((n) => [n, 0]));
  for (const e of edges) {
    if (e.caller === e.callee || !indeg.has(e.caller) || !indeg.has(e.callee)) continue;
    out.set(e.caller, [...(out.get(e.caller) ?? []), e.callee]);
    indeg.set(e.callee, (indeg.get(e.callee) ?? 0) + 1);
  }
  const layer = new Map<string, number>();
  const visiting = new Set<string>();
  const depth = (n: string): number => {
    const known = layer.get(n);
    if (known !== undefined) return known;
    if (visiting.has(n)) return 0;
    visiting.add(n);
    let d = 0;
    for (const e of edges) if (e.callee === n && e.caller !== n && indeg.has(e.caller)) d = Math.max(d, depth(e.caller) + 1);
    visiting.delete(n);
    layer.set(n, d);
    return d;
  };
  for (const n of names) depth(n);
  const layers: string[][] = [];
  for (const n of names) (layers[layer.get(n) ?? 0] ??= []).push(n);
  const pos = new Map<string, number>();
  layers.forEach((ns, li) => {
    if (li > 0) {
      const bary = (n: string): number => {
        const ps = edges.filter((e) => e.callee === n && pos.has(e.caller)).map((e) => pos.get(e.caller) as number);
        return ps.length ? ps.reduce((a, b) => a + b, 0) / ps.length : Infinity;
      };
      ns.sort((a, b) => bary(a) - bary(b) || a.localeCompare(b));
    } else ns.sort();
    ns.forEach((n, i) => pos.set(n, i));
  });
  const tallest = Math.max(1, ...layers.map((l) => l?.length ?? 0));
  const nodes: LayoutNode[] = [];
  layers.forEach((ns, li) =>
    (ns ?? []).forEach((n, i) => {
      const offset = ((tallest - ns.length) * o.dy) / 2;
      nodes.push({ name: n, layer: li, x: o.pad + li * o.dx, y: o.pad + offset + i * o.dy });
    }),
  );
  return { nodes, width: o.pad * 2 + Math.max(0, layers.length - 1) * o.dx + 120, height: o.pad * 2 + (tallest - 1) * o.dy + 20 };
}
