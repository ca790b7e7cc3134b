// A uPlot time-series chart. Clicking a point calls onPick with its time (the page then shows the
// traces and logs of that moment); vertical markers show deploys and changes.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  values: Array<number | null>;
}

export interface Marker {
  timeMs: number;
  label: string;
}

const palette = ['#2f6fdf', '#d9480f', '#2b8a3e', '#862e9c', '#e67700', '#0b7285', '#c2255c', '#5c940d'];

export function TimeChart(props: { title: string; times: number[]; series: ChartSeries[]; markers?: Marker[]; unit?: string; onPick?: (timeMs: number) => void; height?: number }) {
  const el = useRef<HTMLDivElement>(null);
  const pick = useRef(props.onPick);
  pick.current = props.onPick;
  useEffect(() => {
    const host = el.current;
    if (!host) return undefined;
    const markers = props.markers ?? [];
    const opts: uPlot.Options = {
      width: Math.max(280, host.clientWidth || 600),
      height: props.height ?? 180,
      legend: { show: props.series.length > 1 && props.series.length <= 8 },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true } },
      axes: [{ stroke: 'currentColor', grid: { stroke: 'rgba(128,128,128,.15)' } }, { stroke: 'currentColor', grid: { stroke: 'rgba(128,128,128,.15)' }, size: 60, values: (_u, vals) => vals.map((v) => `${+v.toFixed(3)}${props.unit ?? ''}`) }],
      series: [{}, ...props.series.map((s, i) => ({ label: s.label, stroke: palette[i % palette.length], width: 1.5, points: { show: false } }))],
      hooks: {
        draw: [
          (u) => {
            const ctx = u.ctx;
            ctx.save();
            ctx.strokeStyle = '#e03131';
            ctx.setLineDash([4, 3]);
            for (const m of markers) {
              const x = u.valToPos(m.timeMs / 1000, 'x', true);
              if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
              ctx.beginPath();
              ctx.moveTo(x, u.bbox.top);
              ctx.lineTo(x, u.bbox.top + u.bbox.height);
              ctx.stroke();
            }
            ctx.restore();
          },
        ],
        ready: [
          (u) => {
            u.over.addEventListener('click', () => {
              const idx = u.cursor.idx;
              const t = idx === null || idx === undefined ? undefined : u.data[0][idx];
              if (t !== undefined && pick.current) pick.current(t * 1000);
            });
          },
        ],
      },
    };
    const data = [props.times.map((t) => t / 1000), ...props.series.map((s) => s.values)] as uPlot.AlignedData;
    const plot = new uPlot(opts, data, host);
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(280, host.clientWidth), height: props.height ?? 180 }));
    resize.observe(host);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [props.times, props.series, props.markers, props.height, props.unit]);
  const first = props.times[0];
  const last = props.times[props.times.length - 1];
  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      <div ref={el} class="chart-canvas" data-from={first} data-to={last} role="img" aria-label={`${props.title} chart; click a point for the traces and logs of that moment`} />
      {props.markers?.length ? <p class="chart-markers">Dashed lines: {props.markers.map((m) => m.label).join(', ')}</p> : null}
    </figure>
  );
}
