// A uPlot time-series chart. Clicking a point calls onPick with its time (the page then shows the
// traces and logs of that moment); so does the keyboard: the chart takes focus, the arrow keys move
// between points (announced to screen readers) and Enter picks one. Vertical markers show deploys
// and changes; they arrive later than the series and are drawn without rebuilding the chart.
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { clock } from '../time';

export interface ChartSeries {
  label: string;
  values: Array<number | null>;
}

export interface Marker {
  timeMs: number;
  label: string;
}

const palette = ['#2f6fdf', '#d9480f', '#2b8a3e', '#862e9c', '#e67700', '#0b7285', '#c2255c', '#5c940d'];

/** Keys that move the focused point: by one, by a tenth of the chart, to either end. */
function nextIndex(key: string, idx: number, count: number): number | undefined {
  const page = Math.max(1, Math.round(count / 10));
  const moves: Record<string, number> = {
    ArrowRight: idx + 1,
    ArrowLeft: idx - 1,
    ArrowUp: idx + 1,
    ArrowDown: idx - 1,
    PageUp: idx + page,
    PageDown: idx - page,
    Home: 0,
    End: count - 1,
  };
  const to = moves[key];
  return to === undefined ? undefined : Math.min(count - 1, Math.max(0, to));
}

/** What a screen reader says about a point: its time and each series' value there. */
export function describePoint(title: string, timeMs: number, series: readonly ChartSeries[], idx: number, unit = ''): string {
  const values = series
    .map((s) => ({ label: s.label, v: s.values[idx] }))
    .filter((s): s is { label: string; v: number } => s.v !== null && s.v !== undefined)
    .slice(0, 5)
    .map((s) => `${s.label} ${+s.v.toFixed(3)}${unit}`);
  return `${title} at ${clock(timeMs)}: ${values.length ? values.join(', ') : 'no data'}. Enter opens the traces and logs of this moment.`;
}

/** The page's theme (data-theme on <html>), followed as it changes: a canvas cannot follow CSS colours by itself. */
function useTheme(): string | undefined {
  const [theme, setTheme] = useState(() => document.documentElement.dataset.theme);
  useEffect(() => {
    const watch = new MutationObserver(() => setTheme(document.documentElement.dataset.theme));
    watch.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => watch.disconnect();
  }, []);
  return theme;
}

export function TimeChart(props: {
  title: string;
  times: number[];
  series: ChartSeries[];
  markers?: Marker[];
  unit?: string;
  onPick?: (timeMs: number) => void;
  height?: number;
}) {
  const el = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | undefined>(undefined);
  const pick = useRef(props.onPick);
  pick.current = props.onPick;
  const markers = useRef(props.markers ?? []);
  const focused = useRef<number | null>(null);
  const [announced, setAnnounced] = useState('');
  const theme = useTheme();
  useEffect(() => {
    const host = el.current;
    if (!host) return undefined;
    // The axes' text in the theme's text colour, resolved now ('currentColor' on a canvas drawn before it is attached is black).
    const ink = getComputedStyle(host).color || 'currentColor';
    const opts: uPlot.Options = {
      width: Math.max(280, host.clientWidth || 600),
      height: props.height ?? 180,
      legend: { show: props.series.length > 1 && props.series.length <= 8 },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true } },
      axes: [
        { stroke: ink, grid: { stroke: 'rgba(128,128,128,.15)' } },
        {
          stroke: ink,
          grid: { stroke: 'rgba(128,128,128,.15)' },
          size: 60,
          values: (_u, vals) => vals.map((v) => `${+v.toFixed(3)}${props.unit ?? ''}`),
        },
      ],
      series: [{}, ...props.series.map((s, i) => ({ label: s.label, stroke: palette[i % palette.length], width: 1.5, points: { show: false } }))],
      hooks: {
        draw: [
          (u) => {
            const ctx = u.ctx;
            ctx.save();
            ctx.strokeStyle = '#e03131';
            ctx.setLineDash([4, 3]);
            for (const m of markers.current) {
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
    const chart = new uPlot(opts, data, host);
    plot.current = chart;
    focused.current = null;
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(280, host.clientWidth), height: props.height ?? 180 }));
    resize.observe(host);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = undefined;
    };
  }, [props.times, props.series, props.height, props.unit, theme]);
  useEffect(() => {
    markers.current = props.markers ?? [];
    plot.current?.redraw(false, false);
  }, [props.markers]);

  const focusPoint = (idx: number): void => {
    const u = plot.current;
    const t = props.times[idx];
    if (!u || t === undefined) return;
    focused.current = idx;
    u.setCursor({ left: u.valToPos(t / 1000, 'x'), top: u.over.clientHeight / 2 });
    el.current?.setAttribute('data-focus-time', String(t));
    setAnnounced(describePoint(props.title, t, props.series, idx, props.unit));
  };
  const onKey = (e: KeyboardEvent): void => {
    const count = props.times.length;
    const pickKey = e.key === 'Enter' || e.key === ' ';
    const current = focused.current;
    if (!count || (!pickKey && nextIndex(e.key, 0, count) === undefined)) return;
    e.preventDefault();
    // The first key shows a point (the latest, or the first on Home) before any key moves or picks.
    if (current === null) return focusPoint(e.key === 'Home' ? 0 : count - 1);
    const t = props.times[current];
    if (pickKey) {
      if (t !== undefined) pick.current?.(t);
      return;
    }
    focusPoint(nextIndex(e.key, current, count) ?? current);
  };
  const first = props.times[0];
  const last = props.times[props.times.length - 1];
  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      <div
        ref={el}
        class="chart-canvas"
        data-from={first}
        data-to={last}
        tabIndex={0}
        role="group"
        aria-roledescription="chart"
        aria-label={`${props.title}. Click a point, or use the arrow keys and Enter, for the traces and logs of that moment`}
        onKeyDown={onKey}
      />
      <p class="sr-only" aria-live="polite" aria-atomic="true">
        {announced}
      </p>
      {props.markers?.length ? <p class="chart-markers">Dashed lines: {props.markers.map((m) => m.label).join(', ')}</p> : null}
    </figure>
  );
}
