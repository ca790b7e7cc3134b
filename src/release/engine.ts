// The release-validation core: fed deployments, per-version RED aggregates (10 s buckets per
// service × route × version) and the detectors' and synthetics' signals, it judges every deploy
// with anytime-valid sequential tests and returns verdicts and, for a fail, a signal naming the
// deploy. Saturation gauges, smoke runs and the same-time-of-day baseline come in through their own
// methods (saturation.ts, smoke.ts, rebase in comparison.ts).
// Pure: no I/O, no clock (time comes in as arguments), state is plain JSON.
import { addToSketch, emptySketch, isEntrySpan, isFailedSpan, mergeSketch, routeOf } from '../detect/index.js';
import type { MetricPoint, Signal, Span } from '../model/index.js';
import { comparisonEvidence, failingTests, newComparison, observeBucket, passBounds, isCanary, rebase, type RouteComparison } from './comparison.js';
import type { ReleaseConfig } from './config.js';
import { findingOf, quietRoutes } from './findings.js';
import { RecentTraffic, seriesKey, sliceMs, type Slice } from './history.js';
import { decide, watching } from './lifecycle.js';
import {
  addPoint,
  closeMinutes,
  countRequests,
  emptyGaugeMemory,
  forgetBefore,
  gaugeBucketMs,
  gaugeKey,
  learnInstances,
  remember as rememberGauge,
  saturationFamily,
  saturationRows,
  saturationTestOf,
  serviceLevel,
  versionOf,
  type GaugeMemory,
  type SaturationTest,
} from './saturation.js';
import { failSignal, recoveredSignal, type FailureRecovery } from './signals.js';
import { failedOn, feedRecheck, judgeRecheck, startRecheck, type Recheck } from './recheck.js';
import { addSmokeRun, expectedSmoke, smokeEvidence, smokeStatus } from './smoke.js';
import { releaseBreakdown, type ReleaseBreakdown } from './breakdown.js';
import { failSummary, passSummary, verdictWords, watchingSummary, windowPassSummary } from './wording.js';
import type { ComparisonMode, DeploymentRef, Evidence, RedAggregate, ReferenceBaseline, ReleaseFinding, SmokeResult, SmokeRun, Verdict } from './types.js';

export const bucketMs = 10_000;
/** Routes judged one by one per deploy; the rest still count in the service's totals. */
const maxRoutes = 50;
/** Decided deployments kept for the API and reports (the oldest are forgotten). */
const maxDecided = 500;
/** A failed version that served nothing for this long was rolled back: its signal recovers. */
const goneAfterMs = 120_000;

type Arms = Record<string, { candidate?: RedAggregate; baseline?: RedAggregate }>;

export interface DeploymentRecord {
  deployment: DeploymentRef;
  windowEndMs: number;
  verdict: Verdict;
  mode?: ComparisonMode;
  findings: ReleaseFinding[];
  /** Present while watching: the tests and the buckets not yet closed. */
  live?: {
    service: RouteComparison;
    routes: RouteComparison[];
    pending: Record<string, Arms>;
    saturation?: SaturationTest[];
    daily?: Record<string, RedAggregate>;
  };
  /** The baseline of the one-arm tests (when the versions do not serve side by side). */
  reference?: ReferenceBaseline;
  /** The smoke checks the deploy triggered and their runs. */
  smoke?: SmokeResult[];
  /** The before/after figures the report shows: percentiles and every route side by side. */
  breakdown?: ReleaseBreakdown;
  /** Totals behind the report. */
  totals: { candidateRequests: number; candidateErrors: number; baselineRequests: number; baselineErrors: number };
  /** A failed release's signal, until the version stops serving, is replaced, or shows the regression no more. */
  failure?: { signal: Signal; lastSeenMs: number; recoveredAtMs?: number; recoveredBecause?: FailureRecovery };
  /** After a fail: the fresh comparison asking whether the regression lasts (see recheck.ts). */
  recheck?: Recheck;
}

export interface ReleaseSnapshot {
  recent: Record<string, Slice[]>;
  deployments: DeploymentRecord[];
  gauges?: GaugeMemory;
}

export interface ReleaseUpdate {
  /** Fail signals (and their recoveries) for the incident engine. */
  signals: Signal[];
  /** Deployments whose verdict was decided in this step. */
  decided: DeploymentRecord[];
}

const emptyAggregate = (): RedAggregate => ({ requests: 0, errors: 0, latency: emptySketch() });

export class ReleaseEngine {
  private readonly history: RecentTraffic;
  private readonly gauges: GaugeMemory;
  private readonly records: DeploymentRecord[] = [];
  /** Records still fed telemetry (watching, or failed and not yet recovered): spans visit only these. */
  private readonly active = new Set<DeploymentRecord>();
  private lastPruneMs = 0;

  constructor(
    private readonly config: ReleaseConfig,
    snapshot?: ReleaseSnapshot,
  ) {
    this.history = new RecentTraffic(config.baselineMs, snapshot?.recent);
    this.gauges = snapshot?.gauges ?? emptyGaugeMemory();
    this.records.push(...(snapshot?.deployments ?? []));
    for (const r of this.records) if (r.live || (r.failure && r.failure.recoveredAtMs === undefined)) this.active.add(r);
  }

  /**
   * A deploy (reported or inferred) starts a watch; a watch it replaces ends inconclusive.
   * `awaitReference`: the caller looks up the same time of day on previous days and will call
   * `setReference`; until then only side-by-side tests, smoke runs and findings decide.
   */
  observeDeploy(d: DeploymentRef, nowMs: number, options: { awaitReference?: boolean } = {}): DeploymentRecord[] {
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
    const previousVersion = d.previousVersion || this.history.busiestVersionBefore(d.service, d.version, d.timeMs);
    const deployment = { ...d, previousVersion };
    const pre = this.history.preDeploy(d.service, previousVersion, d.timeMs);
    const service = newComparison('', this.config.alpha / 2, pre.get(''), this.config);
    const record: DeploymentRecord = {
      deployment,
      windowEndMs: d.timeMs + this.config.windowMs,
      verdict: watching(previousVersion ? `watching ${d.version} against ${previousVersion}` : `watching ${d.version}: no previous version known`),
      findings: [],
      live: { service, routes: [], pending: {}, saturation: [] },
      reference: { kind: 'hour-before', note: 'the hour before the deploy', ...(options.awaitReference ? { awaiting: true } : {}) },
      totals: { candidateRequests: 0, candidateErrors: 0, baselineRequests: 0, baselineErrors: 0 },
    };
    this.records.push(record);
    this.active.add(record);
    this.forgetOld();
    return superseded;
  }

  /** Entry spans become per-version aggregates of their 10 s bucket. */
  observeSpans(spans: readonly Span[]): void {
    learnInstances(this.gauges, spans);
    const latest = spans.reduce((t, s) => Math.max(t, s.startTimeMs), 0);
    countRequests(this.gauges, spans.filter(isEntrySpan), latest - this.config.baselineMs - 2 * gaugeBucketMs);
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
    this.history.remember(service, route, version, bucketStartMs, agg);
    for (const r of this.active) {
      if (r.deployment.service !== service) continue;
      if (r.failure && version === r.deployment.version && agg.requests > 0) r.failure.lastSeenMs = Math.max(r.failure.lastSeenMs, bucketStartMs + bucketMs);
      const arm = version === r.deployment.version ? 'candidate' : version === r.deployment.previousVersion && version ? 'baseline' : undefined;
      if (!arm) continue;
      if (r.recheck) feedRecheck(r.recheck, arm, bucketStartMs, bucketMs, agg);
      if (!r.live || bucketStartMs < Math.floor(r.deployment.timeMs / bucketMs) * bucketMs) continue;
      const slot = (r.live.pending[bucketStartMs] ??= {});
      const arms = (slot[route] ??= {});
      const into = (arms[arm] ??= emptyAggregate());
      into.requests += agg.requests;
      into.errors += agg.errors;
      mergeSketch(into.latency, agg.latency);
    }
  }

  /** Saturation gauges (CPU, memory, pools, queues): remembered per version and fed to the watches. */
  observeMetrics(points: readonly MetricPoint[]): void {
    for (const p of points) {
      const family = saturationFamily(p);
      if (!family) continue;
      const version = versionOf(this.gauges, p);
      const minute = Math.floor(p.timeMs / gaugeBucketMs) * gaugeBucketMs;
      const keepFrom = minute - this.config.baselineMs - gaugeBucketMs;
      rememberGauge(this.gauges, gaugeKey(p.service, p.name, serviceLevel), minute, p.value, keepFrom);
      if (version) rememberGauge(this.gauges, gaugeKey(p.service, p.name, version), minute, p.value, keepFrom);
      for (const r of this.active) {
        const d = r.deployment;
        const tests = r.live?.saturation;
        if (!tests || d.service !== p.service || minute < Math.floor(d.timeMs / gaugeBucketMs) * gaugeBucketMs) continue;
        const arm = version && version === d.version ? 'candidate' : version && version === d.previousVersion ? 'baseline' : undefined;
        const attributed = arm && saturationTestOf(tests, this.gauges, d, family, p.name, true, this.config);
        if (arm && attributed) addPoint(attributed, arm, minute, p.value);
        const all = saturationTestOf(tests, this.gauges, d, family, p.name, false, this.config);
        if (all) addPoint(all, 'candidate', minute, p.value);
      }
    }
  }

  /**
   * The previous version's traffic at the same time of day on previous days (per route, '' = all),
   * looked up by the adapter; undefined or too little → the hour before stays, and the verdict says so.
   */
  setReference(deploymentId: string, daily: { routes: Record<string, RedAggregate>; days: number } | undefined): void {
    const r = this.get(deploymentId);
    if (!r?.reference) return;
    const live = r.live;
    const version = r.deployment.previousVersion || 'the previous version';
    const sideBySide = live ? isCanary(live.service) : false;
    const days = `${daily?.days ?? 0} previous day${daily?.days === 1 ? '' : 's'}`;
    if (live && daily && !sideBySide && rebase(live.service, daily.routes[''], this.config, `against the same time of day on ${days}`)) {
      for (const c of live.routes) rebase(c, daily.routes[c.route], this.config, live.service.against!);
      live.daily = daily.routes;
      r.reference = { kind: 'same-time-of-day', days: daily.days, note: `${version} at the same time of day on ${days}` };
    } else {
      const why = sideBySide ? 'both versions serve side by side' : `no same-time-of-day history of ${version} in the store`;
      r.reference = {
        kind: 'hour-before',
        note: live?.service.reference ? `the hour before the deploy (${why})` : `the hour before the deploy, which was empty too (${why})`,
      };
    }
  }

  /** The smoke checks a deploy triggered: until each has run, a pass waits. */
  expectSmoke(deploymentId: string, checks: readonly string[]): void {
    const r = this.get(deploymentId);
    if (r && checks.length) r.smoke = [...(r.smoke ?? []), ...expectedSmoke(checks.filter((c) => !r.smoke?.some((x) => x.check === c)))];
  }

  /** A run of a smoke check the deploy triggered; true when it was new. */
  observeSmokeRun(deploymentId: string, run: SmokeRun): boolean {
    const r = this.get(deploymentId);
    return !!r?.smoke && r.verdict.status === 'watching' && addSmokeRun(r.smoke, run);
  }

  /**
   * Detectors' and synthetics' signals about a watched service: a new exception first seen in the
   * new version and a failed critical smoke check fail it; a new log template is evidence.
   */
  observeSignals(signals: readonly Signal[]): void {
    for (const s of signals) {
      if (s.status === 'recovered' && s.kind === 'new-exception') this.exceptionEnded(s);
      if (s.status !== 'firing') continue;
      for (const r of this.records) {
        const d = r.deployment;
        if (r.verdict.status !== 'watching' || d.service !== s.subject.service || s.detectedAtMs < d.timeMs) continue;
        const finding = findingOf(s, d.version);
        // A smoke check the deploy triggered is judged by its own runs.
        if (finding?.signal === 'smoke' && r.smoke?.some((x) => x.check === finding.subject)) continue;
        if (finding && !r.findings.some((f) => f.signal === finding.signal && f.subject === finding.subject)) r.findings.push(finding);
      }
    }
  }

  /** A new exception that failed a release no longer occurs: one thing less for its recheck to wait for. */
  private exceptionEnded(s: Signal): void {
    for (const r of this.active) {
      const open = r.recheck?.openExceptions;
      if (!open || r.deployment.service !== s.subject.service || r.deployment.version !== s.subject.version) continue;
      r.recheck!.openExceptions = open.filter((f) => f !== (s.subject.fingerprint ?? s.key));
    }
  }

  /** Closes the buckets that ended by `nowMs`, updates the tests and decides what can be decided. */
  advance(nowMs: number): ReleaseUpdate {
    const out: ReleaseUpdate = { signals: [], decided: [] };
    this.prune(nowMs);
    for (const r of this.active) {
      if (r.live) {
        const watched = r.live.service;
        this.closeBuckets(r, nowMs);
        const load = this.gauges.requests?.[r.deployment.service];
        for (const t of r.live?.saturation ?? []) closeMinutes(t, nowMs, this.config.saturationTolerance, (m) => load?.[m]);
        const decided = this.judge(r, nowMs);
        if (decided) {
          out.decided.push(r);
          if (r.verdict.status === 'fail') {
            const signal = failSignal(r, nowMs);
            r.failure = { signal, lastSeenMs: nowMs };
            const on = failedOn(r.verdict.evidence);
            const exceptions = r.verdict.evidence.filter((e) => e.failing && e.signal === 'new-exception').map((e) => e.route ?? '');
            if (on) r.recheck = startRecheck(watched, on, exceptions, nowMs, this.config);
            out.signals.push(signal);
          }
        }
      }
      const f = r.failure;
      if (f && f.recoveredAtMs === undefined && (nowMs - f.lastSeenMs >= goneAfterMs || this.replaced(r))) this.recover(r, f, 'gone', nowMs, out);
      if (f && f.recoveredAtMs === undefined && r.recheck) {
        const seen = judgeRecheck(r.recheck, nowMs, bucketMs, this.config);
        if (seen === 'regressed') r.recheck = startRecheck(r.recheck.service, r.recheck.failedOn, r.recheck.openExceptions, nowMs, this.config);
        if (seen === 'recovered') this.recover(r, f, 'back-to-normal', nowMs, out);
      }
      if (!r.live && !(r.failure && r.failure.recoveredAtMs === undefined)) this.active.delete(r);
    }
    return out;
  }

  private recover(r: DeploymentRecord, f: NonNullable<DeploymentRecord['failure']>, why: FailureRecovery, nowMs: number, out: ReleaseUpdate): void {
    f.recoveredAtMs = nowMs;
    f.recoveredBecause = why;
    delete r.recheck;
    out.signals.push(recoveredSignal(f.signal, nowMs, why));
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
    return { recent: this.history.toJSON(), deployments: this.records, gauges: this.gauges };
  }

  /** Series whose newest slice fell out of every baseline period (a retired version) are dropped. */
  private prune(nowMs: number): void {
    if (nowMs - this.lastPruneMs < sliceMs) return;
    this.lastPruneMs = nowMs;
    const before = nowMs - this.config.baselineMs - 2 * sliceMs;
    this.history.forgetBefore(before);
    forgetBefore(this.gauges, before);
  }

  private closeBuckets(r: DeploymentRecord, nowMs: number): void {
    const live = r.live!;
    const due = Object.keys(live.pending)
      .map(Number)
      .filter((t) => t + bucketMs <= nowMs)
      .sort((a, b) => a - b);
    if (!due.length) return;
    const pre = due.length ? this.history.preDeploy(r.deployment.service, r.deployment.previousVersion, r.deployment.timeMs) : new Map<string, RedAggregate>();
    for (const t of due) {
      const arms = live.pending[t] ?? {};
      delete live.pending[t];
      const span = { fromMs: t, toMs: t + bucketMs };
      const cand = emptyAggregate();
      const base = emptyAggregate();
      for (const [route, a] of Object.entries(arms)) {
        let c = live.routes.find((x) => x.route === route);
        if (!c && live.routes.length < maxRoutes) {
          const k = live.routes.length + 1;
          // Route k gets α/4 · 1/(k(k+1)): the shares sum to α/4 however many routes appear (saturation has another α/4).
          live.routes.push((c = newComparison(route, this.config.alpha / 4 / (k * (k + 1)), pre.get(route), this.config)));
          if (live.daily) rebase(c, live.daily[route], this.config, live.service.against!);
        }
        if (c) observeBucket(c, a.candidate, a.baseline, this.config, span);
        for (const [into, from] of [
          [cand, a.candidate],
          [base, a.baseline],
        ] as const) {
          if (!from) continue;
          into.requests += from.requests;
          into.errors += from.errors;
          mergeSketch(into.latency, from.latency);
        }
      }
      observeBucket(live.service, cand, base, this.config, span);
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
    const ended = nowMs >= r.windowEndMs;
    // At the window's end a lone smoke failure whose confirmation run never came counts.
    if (ended) for (const x of r.smoke ?? []) if (x.status === 'pending') x.status = smokeStatus(x.runs, true);
    const evidence = this.evidence(r);
    const failing = evidence.filter((e) => e.failing);
    r.breakdown = releaseBreakdown(live.service, live.routes, this.config, new Set(failing.map((e) => e.route ?? '')));
    const version = r.deployment.version;
    const smokePending = (r.smoke ?? []).filter((x) => x.status === 'pending').map((x) => `"${x.check}"`);
    let to: 'pass' | 'fail' | 'inconclusive' | undefined;
    let summary = '';
    const words = verdictWords(r, nowMs, this.config.latencyQuantile);
    const bounds = nowMs - r.deployment.timeMs >= this.config.minWatchMs ? passBounds(live.service) : undefined;
    if (failing.length) {
      to = 'fail';
      summary = failSummary(failing, words);
    } else if (!ended && (r.reference?.awaiting || smokePending.length)) {
      // A pass waits for the same-time-of-day baseline and for every smoke check the deploy triggered.
    } else if (bounds) {
      to = 'pass';
      const rates = evidence.find((e) => e.signal === 'error-rate' && !e.route);
      summary = passSummary(r.totals.candidateRequests, { ...bounds, ...(rates ? { errorRate: rates } : {}) }, words);
    } else if (nowMs >= r.windowEndMs) {
      const compared = live.service.reference !== undefined || isCanary(live.service);
      if (compared && r.totals.candidateRequests >= this.config.minRequests) {
        to = 'pass';
        summary = windowPassSummary(r.totals.candidateRequests, this.config.windowMs, smokePending, words);
      } else {
        to = 'inconclusive';
        summary = !compared
          ? `${version} could not be compared: the previous version served no requests before or beside it`
          : `${version} served ${r.totals.candidateRequests} requests in the window, fewer than the ${this.config.minRequests} a verdict needs`;
      }
    }
    if (!to) {
      // Readable at any moment: what has been seen so far, the bound proven so far, what a pass waits for.
      const waits = { baseline: !!r.reference?.awaiting, smoke: smokePending };
      r.verdict = { ...r.verdict, evidence, summary: watchingSummary(r.totals.candidateRequests, live.service, waits, words) };
      return false;
    }
    r.verdict = decide(r.verdict, to, nowMs, summary, evidence);
    delete r.live;
    return true;
  }

  private evidence(r: DeploymentRecord): Evidence[] {
    const out: Evidence[] = [];
    const live = r.live;
    if (live) {
      // Until the same-time-of-day baseline is settled, only the side-by-side tests may fail.
      const sideBySideOnly = !!r.reference?.awaiting;
      out.push(...comparisonEvidence(live.service, this.config, sideBySideOnly));
      for (const c of live.routes)
        if (failingTests(c, sideBySideOnly).length) out.push(...comparisonEvidence(c, this.config, sideBySideOnly).filter((e) => e.failing));
      out.push(...quietRoutes(live.routes));
      out.push(...saturationRows(live.saturation ?? []));
    } else {
      out.push(...r.verdict.evidence.filter((e) => e.signal !== 'smoke' && e.signal !== 'new-exception' && e.signal !== 'new-log-template'));
    }
    out.push(...smokeEvidence(r.smoke ?? []));
    for (const f of r.findings) {
      out.push({
        signal: f.signal,
        route: f.subject,
        baseline: 0,
        candidate: 1,
        change: 1,
        confidence: f.confidence,
        unit: 'count',
        failing: f.failing,
        ...(f.failing && f.sinceMs !== undefined ? { sinceMs: f.sinceMs } : {}),
        summary: f.summary,
      });
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
