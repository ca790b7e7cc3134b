// The release-validation core: fed deployments, per-version RED aggregates (10 s buckets per
// service × route × version) and the detectors' and synthetics' signals, it judges every deploy
// with anytime-valid sequential tests and returns verdicts and, for a fail, a signal naming the
// deploy. Pure: no I/O, no clock (time comes in as arguments), state is plain JSON.
import { addToSketch, emptySketch, isEntrySpan, isFailedSpan, mergeSketch, routeOf } from '../detect/index.js';
import type { Signal, Span } from '../model/index.js';
import { comparisonEvidence, failingTests, latencyBounds, errorBounds, newComparison, observeBucket, pct, provenBound, isCanary, routeShares, type RouteComparison } from './comparison.js';
import type { ReleaseConfig } from './config.js';
import { decide, watching } from './lifecycle.js';
import { failSignal, recoveredSignal } from './signals.js';
import type { ComparisonMode, DeploymentRef, Evidence, RedAggregate, ReleaseFinding, Verdict } from './types.js';

export const bucketMs = 10_000;
const sliceMs = 600_000;
/** Routes judged one by one per deploy; the rest still count in the service's totals. */
const maxRoutes = 50;
/** Decided deployments kept for the API and reports (the oldest are forgotten). */
const maxDecided = 500;
/** A failed version that served nothing for this long was rolled back: its signal recovers. */
const goneAfterMs = 120_000;

interface Slice {
  startMs: number;
  agg: RedAggregate;
}

type Arms = Record<string, { candidate?: RedAggregate; baseline?: RedAggregate }>;

export interface DeploymentRecord {
  deployment: DeploymentRef;
  windowEndMs: number;
  verdict: Verdict;
  mode?: ComparisonMode;
  findings: ReleaseFinding[];
  /** Present while watching: the tests and the buckets not yet closed. */
  live?: { service: RouteComparison; routes: RouteComparison[]; pending: Record<string, Arms> };
  /** Totals behind the report. */
  totals: { candidateRequests: number; candidateErrors: number; baselineRequests: number; baselineErrors: number };
  /** A failed release's signal, until the version stops serving or is replaced. */
  failure?: { signal: Signal; lastSeenMs: number; recoveredAtMs?: number };
}

export interface ReleaseSnapshot {
  recent: Record<string, Slice[]>;
  deployments: DeploymentRecord[];
}

export interface ReleaseUpdate {
  /** Fail signals (and their recoveries) for the incident engine. */
  signals: Signal[];
  /** Deployments whose verdict was decided in this step. */
  decided: DeploymentRecord[];
}

const emptyAggregate = (): RedAggregate => ({ requests: 0, errors: 0, latency: emptySketch() });
const seriesKey = (service: string, route: string, version: string): string => `${service}\u0000${route}\u0000${version}`;

export class ReleaseEngine {
  private readonly recent = new Map<string, Slice[]>();
  private readonly records: DeploymentRecord[] = [];
  /** Records still fed telemetry (watching, or failed and not yet recovered): spans visit only these. */
  private readonly active = new Set<DeploymentRecord>();
  private lastPruneMs = 0;

  constructor(
    private readonly config: ReleaseConfig,
    snapshot?: ReleaseSnapshot,
  ) {
    for (const [k, v] of Object.entries(snapshot?.recent ?? {})) this.recent.set(k, v);
    this.records.push(...(snapshot?.deployments ?? []));
    for (const r of this.records) if (r.live || (r.failure && r.failure.recoveredAtMs === undefined)) this.active.add(r);
  }

  /** A deploy (reported or inferred) starts a watch; a watch it replaces ends inconclusive. */
  observeDeploy(d: DeploymentRef, nowMs: number): DeploymentRecord[] {
    if (this.records.some((r) => r.deployment.id === d.id)) return [];
    const superseded: DeploymentRecord[] = [];
    for (const r of this.records) {
      if (r.deployment.service !== d.service) continue;
      if (r.verdict.status === 'watching') {
        r.verdict = decide(r.verdict, 'inconclusive', nowMs, `superseded by ${d.version} before a verdict`, this.evidence(r));
        delete r.live;
        this.active.delete(r);
        superseded.push(r);
      }
    }
    const previousVersion = d.previousVersion || this.busiestVersionBefore(d.service, d.version, d.timeMs);
    const deployment = { ...d, previousVersion };
    const pre = this.preDeploy(d.service, previousVersion, d.timeMs);
    const service = newComparison('', this.config.alpha / 2, pre.get(''), this.config);
    const record: DeploymentRecord = {
      deployment,
      windowEndMs: d.timeMs + this.config.windowMs,
      verdict: watching(previousVersion ? `watching ${d.version} against ${previousVersion}` : `watching ${d.version}: no previous version known`),
      findings: [],
      live: { service, routes: [], pending: {} },
      totals: { candidateRequests: 0, candidateErrors: 0, baselineRequests: 0, baselineErrors: 0 },
    };
    this.records.push(record);
    this.active.add(record);
    this.forgetOld();
    return superseded;
  }

  /** Entry spans become per-version aggregates of their 10 s bucket. */
  observeSpans(spans: readonly Span[]): void {
    const buckets = new Map<string, { service: string; route: string; version: string; startMs: number; agg: RedAggregate }>();
    for (const s of spans) {
      if (!isEntrySpan(s)) continue;
      const startMs = Math.floor(s.startTimeMs / bucketMs) * bucketMs;
      const route = routeOf(s);
      const key = `${seriesKey(s.service, route, s.serviceVersion)}\u0000${startMs}`;
      let b = buckets.get(key);
      if (!b) buckets.set(key, (b = { service: s.service, route, version: s.serviceVersion, startMs, agg: emptyAggregate() }));
      b.agg.requests++;
      if (isFailedSpan(s)) b.agg.errors++;
      addToSketch(b.agg.latency, s.durationMs);
    }
    for (const b of buckets.values()) this.observe(b.service, b.route, b.version, b.startMs, b.agg);
  }

  /** One service × route × version bucket of requests (the core's input; benches call it directly). */
  observe(service: string, route: string, version: string, bucketStartMs: number, agg: RedAggregate): void {
    this.remember(service, route, version, bucketStartMs, agg);
    for (const r of this.active) {
      if (r.deployment.service !== service) continue;
      if (r.failure && version === r.deployment.version && agg.requests > 0) r.failure.lastSeenMs = Math.max(r.failure.lastSeenMs, bucketStartMs + bucketMs);
      if (!r.live || bucketStartMs < Math.floor(r.deployment.timeMs / bucketMs) * bucketMs) continue;
      const arm = version === r.deployment.version ? 'candidate' : version === r.deployment.previousVersion && version ? 'baseline' : undefined;
      if (!arm) continue;
      const slot = (r.live.pending[bucketStartMs] ??= {});
      const arms = (slot[route] ??= {});
      const into = (arms[arm] ??= emptyAggregate());
      into.requests += agg.requests;
      into.errors += agg.errors;
      mergeSketch(into.latency, agg.latency);
    }
  }

  /**
   * Detectors' and synthetics' signals about a watched service: a new exception first seen in the
   * new version and a failed critical smoke check fail it; a new log template is evidence.
   */
  observeSignals(signals: readonly Signal[]): void {
    for (const s of signals) {
      if (s.status !== 'firing') continue;
      for (const r of this.records) {
        const d = r.deployment;
        if (r.verdict.status !== 'watching' || d.service !== s.subject.service || s.detectedAtMs < d.timeMs) continue;
        const finding = findingOf(s, d.version);
        if (finding && !r.findings.some((f) => f.signal === finding.signal && f.subject === finding.subject)) r.findings.push(finding);
      }
    }
  }

  /** Closes the buckets that ended by `nowMs`, updates the tests and decides what can be decided. */
  advance(nowMs: number): ReleaseUpdate {
    const out: ReleaseUpdate = { signals: [], decided: [] };
    this.prune(nowMs);
    for (const r of this.active) {
      if (r.live) {
        this.closeBuckets(r, nowMs);
        const decided = this.judge(r, nowMs);
        if (decided) {
          out.decided.push(r);
          if (r.verdict.status === 'fail') {
            const signal = failSignal(r, nowMs);
            r.failure = { signal, lastSeenMs: nowMs };
            out.signals.push(signal);
          }
        }
      }
      const f = r.failure;
      if (f && f.recoveredAtMs === undefined && (nowMs - f.lastSeenMs >= goneAfterMs || this.replaced(r))) {
        f.recoveredAtMs = nowMs;
        out.signals.push(recoveredSignal(f.signal, nowMs));
      }
      if (!r.live && !(r.failure && r.failure.recoveredAtMs === undefined)) this.active.delete(r);
    }
    return out;
  }

  /** Newest first, optionally one service's. */
  list(service?: string): DeploymentRecord[] {
    return this.records.filter((r) => !service || r.deployment.service === service).sort((a, b) => b.deployment.timeMs - a.deployment.timeMs);
  }

  get(id: string): DeploymentRecord | undefined {
    return this.records.find((r) => r.deployment.id === id);
  }

  /** Whether a failed release's signal has recovered (its version stopped serving or was replaced). */
  recovered(id: string): boolean | undefined {
    const f = this.get(id)?.failure;
    return f ? f.recoveredAtMs !== undefined : undefined;
  }

  snapshot(): ReleaseSnapshot {
    return { recent: Object.fromEntries(this.recent), deployments: this.records };
  }

  /** Series whose newest slice fell out of every baseline period (a retired version) are dropped. */
  private prune(nowMs: number): void {
    if (nowMs - this.lastPruneMs < sliceMs) return;
    this.lastPruneMs = nowMs;
    const before = nowMs - this.config.baselineMs - 2 * sliceMs;
    for (const [key, slices] of this.recent) if ((slices[slices.length - 1]?.startMs ?? 0) < before) this.recent.delete(key);
  }

  private remember(service: string, route: string, version: string, bucketStartMs: number, agg: RedAggregate): void {
    const key = seriesKey(service, route, version);
    const slices = this.recent.get(key) ?? [];
    const startMs = Math.floor(bucketStartMs / sliceMs) * sliceMs;
    let slice = slices.find((s) => s.startMs === startMs);
    if (!slice) {
      slices.push((slice = { startMs, agg: emptyAggregate() }));
      slices.sort((a, b) => a.startMs - b.startMs);
      const keepFrom = startMs - this.config.baselineMs - sliceMs;
      while (slices.length && slices[0]!.startMs < keepFrom) slices.shift();
    }
    slice.agg.requests += agg.requests;
    slice.agg.errors += agg.errors;
    mergeSketch(slice.agg.latency, agg.latency);
    this.recent.set(key, slices);
  }

  /** The previous version's traffic in the baseline period before the deploy, per route ('' = all). */
  private preDeploy(service: string, version: string, deployMs: number): Map<string, RedAggregate> {
    const out = new Map<string, RedAggregate>();
    if (!version) return out;
    const all = emptyAggregate();
    const prefix = `${service}\u0000`;
    for (const [key, slices] of this.recent) {
      if (!key.startsWith(prefix) || !key.endsWith(`\u0000${version}`)) continue;
      const route = key.slice(prefix.length, key.length - version.length - 1);
      const agg = emptyAggregate();
      for (const s of slices) {
        if (s.startMs >= deployMs || s.startMs < deployMs - this.config.baselineMs) continue;
        agg.requests += s.agg.requests;
        agg.errors += s.agg.errors;
        mergeSketch(agg.latency, s.agg.latency);
      }
      if (!agg.requests) continue;
      out.set(route, agg);
      all.requests += agg.requests;
      all.errors += agg.errors;
      mergeSketch(all.latency, agg.latency);
    }
    if (all.requests) out.set('', all);
    return out;
  }

  private busiestVersionBefore(service: string, exclude: string, deployMs: number): string {
    const prefix = `${service}\u0000`;
    const byVersion = new Map<string, number>();
    for (const [key, slices] of this.recent) {
      if (!key.startsWith(prefix)) continue;
      const version = key.split('\u0000')[2] ?? '';
      if (!version || version === exclude) continue;
      const n = slices.filter((s) => s.startMs < deployMs).reduce((sum, s) => sum + s.agg.requests, 0);
      byVersion.set(version, (byVersion.get(version) ?? 0) + n);
    }
    return [...byVersion].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
  }

  private closeBuckets(r: DeploymentRecord, nowMs: number): void {
    const live = r.live!;
    const due = Object.keys(live.pending)
      .map(Number)
      .filter((t) => t + bucketMs <= nowMs)
      .sort((a, b) => a - b);
    if (!due.length) return;
    const pre = due.length ? this.preDeploy(r.deployment.service, r.deployment.previousVersion, r.deployment.timeMs) : new Map<string, RedAggregate>();
    for (const t of due) {
      const arms = live.pending[t] ?? {};
      delete live.pending[t];
      const cand = emptyAggregate();
      const base = emptyAggregate();
      for (const [route, a] of Object.entries(arms)) {
        let c = live.routes.find((x) => x.route === route);
        if (!c && live.routes.length < maxRoutes) {
          const k = live.routes.length + 1;
          // Route k gets α/2 · 1/(k(k+1)): the shares sum to α/2 however many routes appear.
          live.routes.push((c = newComparison(route, this.config.alpha / 2 / (k * (k + 1)), pre.get(route), this.config)));
        }
        if (c) observeBucket(c, a.candidate, a.baseline, this.config);
        for (const [into, from] of [[cand, a.candidate], [base, a.baseline]] as const) {
          if (!from) continue;
          into.requests += from.requests;
          into.errors += from.errors;
          mergeSketch(into.latency, from.latency);
        }
      }
      observeBucket(live.service, cand, base, this.config);
      r.totals.candidateRequests += cand.requests;
      r.totals.candidateErrors += cand.errors;
      r.totals.baselineRequests += base.requests;
      r.totals.baselineErrors += base.errors;
    }
  }

  /** Decides the verdict when the evidence allows; true when it was decided now. */
  private judge(r: DeploymentRecord, nowMs: number): boolean {
    const live = r.live!;
    r.mode = isCanary(live.service) || live.routes.some(isCanary) ? 'canary' : 'baseline';
    const evidence = this.evidence(r);
    const failing = evidence.filter((e) => e.failing);
    const version = r.deployment.version;
    let to: 'pass' | 'fail' | 'inconclusive' | undefined;
    let summary = '';
    const after = `after ${Math.max(0, Math.round((nowMs - r.deployment.timeMs) / 60_000))} min`;
    if (failing.length) {
      to = 'fail';
      summary = `regression in ${version}: ${failing.map((e) => `${e.route ? `${e.route} ` : ''}${e.summary}${e.confidence > 0 ? ` (${Math.floor(e.confidence * 1000) / 10}% confidence)` : ''}`).join('; ')} ${after}`;
    } else if (nowMs - r.deployment.timeMs >= this.config.minWatchMs && this.boundedBothWays(live.service)) {
      to = 'pass';
      summary = `no regression in ${version} with ${r.totals.candidateRequests} requests ${after}: ${evidence.filter((e) => e.signal === 'latency' || e.signal === 'error-rate').map((e) => e.summary).join('; ')}`;
    } else if (nowMs >= r.windowEndMs) {
      const compared = live.service.reference !== undefined || isCanary(live.service);
      if (compared && r.totals.candidateRequests >= this.config.minRequests) {
        to = 'pass';
        summary = `no regression in ${version} over the ${Math.round(this.config.windowMs / 60_000)} min window with ${r.totals.candidateRequests} requests`;
      } else {
        to = 'inconclusive';
        summary = !compared ? `${version} could not be compared: the previous version served no requests before or beside it` : `${version} served ${r.totals.candidateRequests} requests in the window, fewer than the ${this.config.minRequests} a verdict needs`;
      }
    }
    if (!to) {
      r.verdict = { ...r.verdict, evidence };
      return false;
    }
    r.verdict = decide(r.verdict, to, nowMs, summary, evidence);
    delete r.live;
    return true;
  }

  private boundedBothWays(c: RouteComparison): boolean {
    return provenBound(latencyBounds, c.latencyBounds) !== undefined && (provenBound(errorBounds, c.errorBounds) ?? Infinity) <= 2;
  }

  private evidence(r: DeploymentRecord): Evidence[] {
    const out: Evidence[] = [];
    const live = r.live;
    if (live) {
      out.push(...comparisonEvidence(live.service, this.config));
      for (const c of live.routes) if (failingTests(c).length) out.push(...comparisonEvidence(c, this.config).filter((e) => e.failing));
      out.push(...quietRoutes(live.routes));
    } else {
      out.push(...r.verdict.evidence.filter((e) => e.signal !== 'smoke' && e.signal !== 'new-exception' && e.signal !== 'new-log-template'));
    }
    for (const f of r.findings) {
      out.push({ signal: f.signal, route: f.subject, baseline: 0, candidate: 1, change: 1, confidence: f.confidence, unit: 'count', failing: f.failing, summary: f.summary });
    }
    return out;
  }

  private replaced(r: DeploymentRecord): boolean {
    return this.records.some((x) => x.deployment.service === r.deployment.service && x.deployment.timeMs > r.deployment.timeMs);
  }

  private forgetOld(): void {
    const decided = this.records.filter((r) => r.verdict.status !== 'watching' && !(r.failure && r.failure.recoveredAtMs === undefined));
    if (decided.length <= maxDecided) return;
    const drop = new Set(decided.sort((a, b) => a.deployment.timeMs - b.deployment.timeMs).slice(0, decided.length - maxDecided));
    for (let i = this.records.length - 1; i >= 0; i--) if (drop.has(this.records[i]!)) this.records.splice(i, 1);
  }
}

/** Routes that carry far less of the new version's traffic than of the old one's: a route that broke or moved (evidence, not a fail). */
function quietRoutes(routes: readonly RouteComparison[]): Evidence[] {
  const candidateTotal = routes.reduce((sum, r) => sum + r.candidate.requests, 0);
  const out: Evidence[] = [];
  for (const s of routeShares(routes)) {
    const expected = s.baseline * candidateTotal;
    const seen = s.candidate * candidateTotal;
    // At least 20 requests expected and under half of them seen, by more than 3 standard deviations.
    if (s.baseline < 0.05 || expected < 20 || seen >= expected / 2 || expected - seen < 3 * Math.sqrt(expected)) continue;
    out.push({ signal: 'throughput-share', route: s.route, baseline: s.baseline, candidate: s.candidate, change: s.baseline > 0 ? s.candidate / s.baseline - 1 : 0, confidence: 0.99, unit: 'share', failing: false, summary: `${s.route} carries ${pct(s.candidate)} of the new version's requests against ${pct(s.baseline)} of the old one's` });
  }
  return out;
}

function findingOf(s: Signal, version: string): ReleaseFinding | undefined {
  const base = { service: s.subject.service, atMs: s.detectedAtMs, confidence: Math.max(0, Math.min(1, s.score)) };
  if (s.kind === 'new-exception' && s.subject.version === version) {
    return { ...base, signal: 'new-exception', version, subject: s.subject.fingerprint ?? s.key, failing: true, summary: `new exception in ${version}: ${s.summary}` };
  }
  if (s.kind === 'new-log-pattern' && s.subject.version === version) {
    return { ...base, signal: 'new-log-template', version, subject: s.subject.pattern ?? s.subject.patternId ?? s.key, failing: false, summary: `new log template in ${version}: ${s.subject.pattern ?? s.summary}` };
  }
  if (s.kind === 'synthetic-failure') {
    const critical = s.evidence.critical === 'yes';
    const check = String(s.evidence.check ?? s.subject.route ?? s.key);
    return { ...base, signal: 'smoke', subject: check, failing: critical, confidence: critical ? 1 : base.confidence, summary: `${critical ? 'critical ' : ''}smoke check "${check}" failed: ${String(s.evidence.reason ?? s.summary)}` };
  }
  return undefined;
}
