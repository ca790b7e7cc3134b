// A deliberately simple stand-in detector (per-minute RED, edge errors, gauges at their limit,
// new exceptions) used by the rca benchmark while src/detect's engine is not available, so the
// ranking can be measured on simulated telemetry. Not the product's detector.

import type { ChangeEvent, MetricPoint, Signal, SignalKind, SignalSubject, Span } from '../../model/index.js';

const MIN = 60_000;
const BASELINE_MINUTES = 15;
const NEW_EXCEPTION_MIN = 5;

interface Cell {
  n: number;
  errors: number;
  durationMs: number;
  versions: Record<string, number>;
}

const cell = (): Cell => ({ n: 0, errors: 0, durationMs: 0, versions: {} });

export class MinuteDetector {
  private readonly series = new Map<string, Map<number, Cell>>();
  private readonly gauges = new Map<string, Array<[number, number, number]>>();
  private readonly limits = new Map<string, number>();
  private readonly fingerprints = new Map<string, { service: string; version: string; firstMs: number; times: number[]; type: string }>();
  private readonly fired = new Set<string>();
  private readonly changes: ChangeEvent[] = [];

  constructor(private readonly warmupUntilMs: number) {}

  observe(batch: { spans: readonly Span[]; metrics: readonly MetricPoint[]; changes: readonly ChangeEvent[] }): void {
    for (const s of batch.spans) {
      const failed = s.statusCode === 'error';
      if (s.kind === 'server' || s.kind === 'consumer') this.add(`svc|${s.service}`, s, failed);
      else if (s.kind === 'client' && s.peerService) this.add(`edge|${s.service}|${s.peerService}`, s, failed);
      if (s.exceptionType) {
        const fp = `${s.service}|${s.exceptionType}|${s.exceptionMessage.replace(/\d+/g, '#')}`;
        const known = this.fingerprints.get(fp);
        if (known) {
          if (known.times.length < NEW_EXCEPTION_MIN) known.times.push(s.startTimeMs);
        } else
          this.fingerprints.set(fp, {
            service: s.service,
            version: s.serviceVersion,
            firstMs: s.startTimeMs,
            times: [s.startTimeMs],
            type: `${s.exceptionType}: ${s.exceptionMessage}`,
          });
      }
    }
    for (const p of batch.metrics) this.gauge(p);
    this.changes.push(...batch.changes);
  }

  /** Signals whose onset falls in [fromMs, toMs), each key once. */
  signals(fromMs: number, toMs: number): Signal[] {
    const out: Signal[] = [];
    for (let m = Math.floor(fromMs / MIN); m * MIN < toMs; m++) {
      for (const [key, cells] of this.series) out.push(...this.minuteSignals(key, cells, m));
    }
    for (const [key, points] of this.gauges) out.push(...this.gaugeSignals(key, points, fromMs, toMs));
    for (const [fp, f] of this.fingerprints) {
      if (f.firstMs < this.warmupUntilMs || f.firstMs < fromMs || f.firstMs >= toMs) continue;
      // A one-off background exception is not news: it must recur within a few minutes.
      const recurred = f.times.length >= NEW_EXCEPTION_MIN && (f.times[NEW_EXCEPTION_MIN - 1] ?? Infinity) - f.firstMs <= 5 * MIN;
      if (!recurred) continue;
      out.push(
        ...this.fire('new-exception', { service: f.service, version: f.version, fingerprint: fp }, f.firstMs, f.times.length, 0, 'count', { type: f.type }),
      );
    }
    return out.sort((a, b) => a.startedAtMs - b.startedAtMs);
  }

  private add(key: string, s: Span, failed: boolean): void {
    let cells = this.series.get(key);
    if (!cells) this.series.set(key, (cells = new Map<number, Cell>()));
    const m = Math.floor(s.startTimeMs / MIN);
    let c = cells.get(m);
    if (!c) cells.set(m, (c = cell()));
    c.n++;
    if (failed) c.errors++;
    c.durationMs += s.durationMs;
    c.versions[s.serviceVersion] = (c.versions[s.serviceVersion] ?? 0) + 1;
  }

  private gauge(p: MetricPoint): void {
    const pool = p.attributes['db.client.connection.pool.name'] ?? '';
    if (p.name === 'db.client.connection.max' || p.name === 'process.memory.limit') {
      this.limits.set(`${p.service}|${p.name.replace(/max$|limit$/, '')}|${pool}`, p.value);
      return;
    }
    const isUsage = (p.name === 'db.client.connection.count' && p.attributes['db.client.connection.state'] === 'used') || p.name === 'process.memory.usage';
    if (!isUsage) return;
    const limit = this.limits.get(`${p.service}|${p.name.replace(/count$|usage$/, '')}|${pool}`);
    if (limit === undefined) return;
    const key = `${p.service}|${p.name}|${pool}`;
    const list = this.gauges.get(key) ?? [];
    list.push([p.timeMs, p.value, limit]);
    this.gauges.set(key, list);
  }

  private minuteSignals(key: string, cells: Map<number, Cell>, m: number): Signal[] {
    const now = cells.get(m) ?? cell();
    const base = cell();
    for (let i = m - BASELINE_MINUTES; i < m; i++) {
      const c = cells.get(i);
      if (!c) continue;
      base.n += c.n;
      base.errors += c.errors;
      base.durationMs += c.durationMs;
    }
    if (m * MIN < this.warmupUntilMs || base.n < 20) return [];
    const [kind, service, peer] = key.split('|') as [string, string, string | undefined];
    const subject: SignalSubject = { service, ...(peer ? { peer } : {}), ...dominantVersion(now) };
    const baseRate = base.errors / base.n;
    const rate = now.n > 0 ? now.errors / now.n : 0;
    const baseMean = base.durationMs / base.n;
    const mean = now.n > 0 ? now.durationMs / now.n : 0;
    const perMin = base.n / BASELINE_MINUTES;
    const out: Signal[] = [];
    if (now.errors >= 5 && rate >= Math.max(0.02, 5 * baseRate)) out.push(...this.fire('error-rate', subject, m * MIN, rate, baseRate, 'ratio'));
    if (now.n >= 10 && mean >= 1.5 * baseMean && mean - baseMean >= 5) out.push(...this.fire('latency', subject, m * MIN, mean, baseMean, 'ms'));
    if (kind === 'svc' && perMin >= 20 && now.n <= 0.5 * perMin) out.push(...this.fire('throughput-drop', { service }, m * MIN, now.n, perMin, 'per_min'));
    if (kind === 'svc' && perMin >= 20 && now.n >= 2 * perMin) out.push(...this.fire('throughput-surge', { service }, m * MIN, now.n, perMin, 'per_min'));
    return out;
  }

  private gaugeSignals(key: string, points: Array<[number, number, number]>, fromMs: number, toMs: number): Signal[] {
    const [service, metric, pool] = key.split('|') as [string, string, string];
    const evidence: Record<string, string | number> = pool ? { attributes: `db.client.connection.pool.name=${pool}` } : {};
    for (const [i, [t, v, limit]] of points.entries()) {
      if (t < fromMs || t >= toMs || t < this.warmupUntilMs) continue;
      const subject = { service, metric };
      if (v / limit >= 0.95) return this.fire('saturation', subject, t, v, limit, 'count', { ...evidence, limit });
      const past = points[Math.max(0, i - 30)]!;
      const slope = (v - past[1]) / Math.max(1, t - past[0]);
      const eta = slope > 0 ? (limit - v) / slope : Infinity;
      if (v / limit >= 0.6 && eta < 30 * MIN && t - past[0] >= 5 * MIN)
        return this.fire('saturation-forecast', subject, t, v, limit, 'count', { ...evidence, limit, etaMs: Math.round(eta) });
    }
    return [];
  }

  private fire(
    kind: SignalKind,
    subject: SignalSubject,
    t: number,
    observed: number,
    baseline: number,
    unit: string,
    evidence: Record<string, string | number> = {},
  ): Signal[] {
    const key = `${kind}|${subject.service}|${subject.peer ?? ''}|${subject.metric ?? ''}|${subject.fingerprint ?? ''}`;
    if (this.fired.has(key)) return [];
    this.fired.add(key);
    const change = [...this.changes].reverse().find((c) => c.service === subject.service && c.timeMs <= t && t - c.timeMs <= 30 * MIN);
    return [
      {
        id: `${key}@${t}`,
        key,
        kind,
        status: 'firing',
        subject,
        startedAtMs: t,
        detectedAtMs: t + MIN,
        window: { fromMs: t, toMs: t + MIN },
        observed,
        baseline,
        unit,
        pValue: NaN,
        score: 0.8,
        summary: `${kind} ${subject.service}`,
        evidence,
        ...(change ? { change: { changeId: change.id, kind: change.kind, version: change.version, timeMs: change.timeMs } } : {}),
      },
    ];
  }
}

function dominantVersion(c: Cell): { version?: string } {
  const top = Object.entries(c.versions).sort((a, b) => b[1] - a[1])[0];
  return top && top[0] && top[1] >= 0.8 * c.n ? { version: top[0] } : {};
}
