// Service map: the live dependency graph with health on nodes and edges; click through to a service.
import { useMemo } from 'preact/hooks';
import { qs } from '../api';
import { useQuery } from '../hooks';
import { navigate } from '../router';
import { Empty, Loaded, Section } from '../components/ui';
import { pct } from '../time';
import { layeredLayout } from './graph-layout';

interface MapBody {
  nodes: Array<{ name: string; kind: string; entry: boolean; requests: number; errors: number; errorRate: number; p95Ms: number | null; health: string }>;
  edges: Array<{ caller: string; callee: string; calls: number; errors: number; errorRate: number; p95Ms: number | null; health: string }>;
}

const colour: Record<string, string> = { ok: '#2b8a3e', warning: '#e67700', failing: '#e03131', idle: '#868e96' };

function MapSvg({ body }: { body: MapBody }) {
  const layout = useMemo(
    () =>
      layeredLayout(
        body.nodes.map((n) => n.name),
        body.edges,
      ),
    [body],
  );
  const at = new Map(layout.nodes.map((n) => [n.name, n]));
  const byName = new Map(body.nodes.map((n) => [n.name, n]));
  return (
    <svg viewBox={`0 0 ${layout.width} ${layout.height}`} role="group" aria-label={`Service map: ${body.nodes.length} nodes, ${body.edges.length} calls`}>
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
          <path d="M 0 0 L 10 5 L 0 10 z" fill="#868e96" />
        </marker>
      </defs>
      {body.edges.map((e) => {
        const a = at.get(e.caller);
        const b = at.get(e.callee);
        if (!a || !b) return null;
        return (
          <g key={`${e.caller}>${e.callee}`}>
            <title>{`${e.caller} → ${e.callee}: ${e.calls} calls, ${pct(e.errorRate)} errors${e.p95Ms !== null ? `, p95 ${Math.round(e.p95Ms)} ms` : ''}`}</title>
            <line
              x1={a.x + 110}
              y1={a.y + 10}
              x2={b.x}
              y2={b.y + 10}
              stroke={colour[e.health] ?? '#868e96'}
              stroke-width={e.health === 'failing' ? 3 : 1.5}
              marker-end="url(#arrow)"
            />
          </g>
        );
      })}
      {layout.nodes.map((n) => {
        const node = byName.get(n.name);
        const h = node?.health ?? 'idle';
        return (
          <a
            key={n.name}
            href={`/services/${encodeURIComponent(n.name)}`}
            onClick={(e) => {
              e.preventDefault();
              navigate(`/services/${encodeURIComponent(n.name)}`);
            }}
            aria-label={`${n.name} (${node?.kind ?? 'service'}): ${h}, ${pct(node?.errorRate)} errors`}
          >
            <rect x={n.x} y={n.y} width="110" height="22" rx="5" fill="none" stroke={colour[h] ?? '#868e96'} stroke-width={h === 'failing' ? 3 : 1.5} />
            <text x={n.x + 6} y={n.y + 15}>
              {n.name.length > 16 ? `${n.name.slice(0, 15)}…` : n.name}
            </text>
          </a>
        );
      })}
    </svg>
  );
}

export function MapPage({ query }: { query: URLSearchParams }) {
  const q = useQuery<MapBody>(`/api/v1/service-map${qs({ from: query.get('from'), to: query.get('to') })}`, { refreshMs: 30_000 });
  return (
    <>
      <h1>Service map</h1>
      <Section title="Dependencies (last 15 min unless a range is set)" id="map">
        <Loaded q={q} what="the service map">
          {(d) =>
            d.nodes.length ? (
              <div class="map">
                <MapSvg body={d} />
              </div>
            ) : (
              <Empty>No span has arrived yet, so no dependency is known.</Empty>
            )
          }
        </Loaded>
      </Section>
      <p class="muted">Green: healthy; orange: over 1% errors; red: over 5%; grey: no traffic in the range. Arrows point from caller to callee.</p>
    </>
  );
}
