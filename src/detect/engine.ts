// The live detection engine: ingest feeds it telemetry and changes, the clock (wall or event)
// advances it, and every closed 10 s bucket runs the detector registry. Pure: no clock reads, no
// I/O; its whole state is JSON, so a snapshot restored later continues identically.
import { noDistribution, type ChangeEvent, type ElevatedShift, type LogRecord, type MetricPoint, type Signal, type Span } from '../model/index.js';
import { resolveDetectionConfig, type DetectionConfig, type DetectionConfigInput } from './config.js';
import type { Baseline, Detector, Evaluation } from './detector.js';
import { detectorRegistry } from './detectors/registry.js';
import { requestMeasureOf } from './detectors/request-metrics.js';
import {
  addSpanToBucket,
  edgeSeriesId,
  emptyBucket,
  EMPTY_BUCKET,
  isEntrySpan,
  isFailedSpan,
  learnBucket,
  newSeries,
  pushHistory,
  routeOf,
  routeSeriesId,
} from './red.js';
import { detectorContext } from './detector-context.js';
import { emptyDetectionState, type DetectionSnapshot, type PendingBucket, type PendingMetric } from './engine-state.js';
import { closeActivityBucket, newActivity } from './activity.js';
import { isGaugeLike, observeGaugePoint } from './gauges.js';
import { emptyLogBucket, patternKey, type ExceptionFingerprinter } from './log-events.js';
import { activeSignal, activeSignals, applyEvaluations, isFiring } from './signal-tracker.js';
import { elevatedShifts, noteElevated } from './elevated.js';
import { linkChange, noteVersion, recordChange } from './changes.js';
import { createTemplateMiner, exceptionFingerprint, type TemplateMiner, type TemplateMinerSnapshot } from './logs/index.js';

export type { DetectionSnapshot } from './engine-state.js';

export interface DetectionEngineOptions {
  /** Exception grouping; defaults to src/detect/logs' exceptionFingerprint (type + normalized message + top frames). */
  exceptionFingerprint?: ExceptionFingerprinter;
  /** Detectors to run instead of the registry (tests, experiments). */
  detectors?: ReadonlyArray<Detector<unknown>>;
}

const GC_EVERY_MS = 3_600_000;
/** Per baseline, the evaluation key prefixes that hold it still while flagged (every registered detector's policy). */
const baselineHolders: Record<Baseline, string[]> = { requests: [], errors: [], latency: [], activity: [] };
for (const d of detectorRegistry)
  for (const [baseline, prefixes] of Object.entries(d.holdsBaselines ?? {}) as Array<[Baseline, readonly string[]]>)
    baselineHolders[baseline].push(...prefixes);
const FORGET_AFTER_MS = 8 * 86_400_000;

export class DetectionEngine {
  readonly config: DetectionConfig;
  private readonly state: DetectionSnapshot;
  private readonly miners = new Map<string, TemplateMiner>();
  private readonly detectors: ReadonlyArray<Detector<unknown>>;
  private readonly fingerprint: ExceptionFingerprinter;

  constructor(config: DetectionConfigInput | DetectionConfig = {}, snapshot?: DetectionSnapshot, options: DetectionEngineOptions = {}) {
    this.config = resolveDetectionConfig(config);
    this.detectors = (options.detectors ?? detectorRegistry).filter((d) => !this.config.disabled.includes(d.name));
    this.fingerprint = options.exceptionFingerprint ?? ((e) => exceptionFingerprint(e));
    this.state = snapshot ? (JSON.parse(JSON.stringify(snapshot)) as DetectionSnapshot) : emptyDetectionState();
    for (const d of this.detectors) if (!(d.name in this.state.detectors)) this.state.detectors[d.name] = d.initialState();
    for (const service in this.state.miners) {
      const snap = this.state.miners[service];
      if (snap) this.miners.set(service, createTemplateMiner({ maxTemplates: this.config.logs.maxTemplatesPerService }, snap));
    }
    // Live miners are the truth from here on; their snapshots are taken fresh in snapshot().
    this.state.miners = {};
  }

  /** The engine's event time: the end of the last closed bucket (null before the first advance). */
  get watermarkMs(): number | null {
    return this.state.closedUpToMs;
  }

  get dropped(): Readonly<DetectionSnapshot['dropped']> {
    return this.state.dropped;
  }

  /** The open bucket holding `timeMs`, or undefined when that bucket already closed (late data). */
  private bucketFor(timeMs: number): PendingBucket | undefined {
    const index = Math.floor(timeMs / this.config.bucketMs);
    const closed = this.state.closedUpToMs;
    if (closed !== null && (index + 1) * this.config.bucketMs <= closed) return undefined;
    const key = String(index);
    let bucket = this.state.pending[key];
    if (!bucket) {
      bucket = { series: {}, activity: {}, metrics: [], logs: emptyLogBucket() };
      this.state.pending[key] = bucket;
    }
    return bucket;
  }

  private touchService(service: string, timeMs: number, bucket: PendingBucket): void {
    const a = this.state.services[service];
    if (!a) this.state.services[service] = newActivity(service, timeMs, this.config);
    else if (timeMs > a.lastSeenMs) a.lastSeenMs = timeMs;
    bucket.activity[service] = (bucket.activity[service] ?? 0) + 1;
  }

  private addToSeries(bucket: PendingBucket, id: string, kind: 'route' | 'edge', span: Span, route: string, peer: string, timeMs: number): void {
    let s = this.state.series[id];
    if (!s) {
      s = newSeries(id, kind, span.service, route, peer, timeMs, this.config);
      this.state.series[id] = s;
    } else if (timeMs > s.lastSeenMs) s.lastSeenMs = timeMs;
    const agg = (bucket.series[id] ??= emptyBucket());
    addSpanToBucket(agg, span, isFailedSpan(span));
  }

  observeSpans(spans: readonly Span[]): void {
    for (const span of spans) {
      const timeMs = span.startTimeMs + span.durationMs;
      noteVersion(this.state.changes, span.service, span.serviceVersion, timeMs);
      const bucket = this.bucketFor(timeMs);
      if (!bucket) {
        this.state.dropped.lateSpans += 1;
        continue;
      }
      this.touchService(span.service, timeMs, bucket);
      if (isEntrySpan(span)) {
        const route = routeOf(span);
        this.addToSeries(bucket, routeSeriesId(span.service, route), 'route', span, route, '', timeMs);
      } else if (span.kind === 'client' && span.peerService) {
        this.addToSeries(bucket, edgeSeriesId(span.service, span.peerService), 'edge', span, '', span.peerService, timeMs);
      }
      if (span.exceptionType)
        this.observeException(
          bucket,
          span.service,
          span.serviceVersion,
          timeMs,
          span.exceptionType,
          span.exceptionMessage,
          span.exceptionStacktrace,
          span.traceId,
        );
    }
  }

  private observeException(
    bucket: PendingBucket,
    service: string,
    version: string,
    timeMs: number,
    type: string,
    message: string,
    stacktrace: string,
    traceId: string,
  ): void {
    const fingerprint = this.fingerprint({ type, message, stacktrace });
    const known = (this.state.known.exceptions[service] ??= {});
    const key = patternKey(service, fingerprint);
    if (traceId) {
      const seen = (bucket.logs.exceptionTraces ??= {});
      const perTrace = `${key}\u0000${traceId}`;
      if (seen[perTrace]) return;
      seen[perTrace] = true;
    }
    bucket.logs.exceptionCounts[key] = (bucket.logs.exceptionCounts[key] ?? 0) + 1;
    if (known[fingerprint]) return;
    known[fingerprint] = [timeMs, version];
    bucket.logs.newExceptions.push({ service, fingerprint, type, message, version, timeMs });
  }

  private minerOf(service: string): TemplateMiner {
    let miner = this.miners.get(service);
    if (!miner) {
      miner = createTemplateMiner({ maxTemplates: this.config.logs.maxTemplatesPerService });
      this.miners.set(service, miner);
    }
    return miner;
  }

  observeLogs(logs: readonly LogRecord[]): void {
    for (const log of logs) {
      noteVersion(this.state.changes, log.service, log.serviceVersion, log.timeMs);
      const match = this.minerOf(log.service).add(log.body);
      const bucket = this.bucketFor(log.timeMs);
      if (!bucket) {
        this.state.dropped.lateLogs += 1;
        continue;
      }
      this.touchService(log.service, log.timeMs, bucket);
      const key = patternKey(log.service, match.templateId);
      bucket.logs.templateCounts[key] = (bucket.logs.templateCounts[key] ?? 0) + 1;
      bucket.logs.templateText[key] = match.template;
      if (match.isNew) {
        bucket.logs.newTemplates.push({
          service: log.service,
          templateId: match.templateId,
          template: match.template,
          version: log.serviceVersion,
          severityNumber: log.severityNumber,
          timeMs: log.timeMs,
        });
      }
      if (log.exceptionType)
        this.observeException(
          bucket,
          log.service,
          log.serviceVersion,
          log.timeMs,
          log.exceptionType,
          log.exceptionMessage,
          log.exceptionStacktrace,
          log.traceId,
        );
    }
  }

  observeMetrics(points: readonly MetricPoint[]): void {
    for (const p of points) {
      const counter = p.type === 'sum' && p.isMonotonic;
      // Only request durations: the one histogram a detector reads (a service known from metrics alone).
      const histogram = (p.type === 'histogram' || p.type === 'exponential_histogram') && requestMeasureOf(p.name) === 'latency';
      if (!isGaugeLike(p) && !counter && !histogram) continue;
      const bucket = this.bucketFor(p.timeMs);
      if (!bucket) {
        this.state.dropped.lateMetrics += 1;
        continue;
      }
      // What counters and histograms share: whose, which, when, and whether a running total.
      const running = {
        service: p.service,
        serviceVersion: p.serviceVersion,
        name: p.name,
        unit: p.unit,
        timeMs: p.timeMs,
        attributes: p.attributes,
        cumulative: p.temporality === 'cumulative',
        startTimeMs: p.startTimeMs,
      };
      if (histogram) {
        (bucket.histograms ??= []).push({ ...running, count: p.count, sum: p.sum });
        continue;
      }
      if (counter) {
        (bucket.counters ??= []).push({ ...running, value: p.value });
        continue;
      }
      bucket.metrics.push({
        service: p.service,
        serviceVersion: p.serviceVersion,
        environment: p.environment,
        name: p.name,
        unit: p.unit,
        type: p.type,
        isMonotonic: p.isMonotonic,
        timeMs: p.timeMs,
        value: p.value,
        attributes: p.attributes,
      });
    }
  }

  observeChange(change: ChangeEvent): void {
    recordChange(this.state.changes, change);
  }

  /**
   * Closes every bucket ending at or before `nowMs` (the watermark: the caller holds it back by
   * the lateness it allows, pipeline/watermark.ts); returns the signals that fired or recovered
   * since the last call, in time order.
   */
  advance(nowMs: number): Signal[] {
    const bucketMs = this.config.bucketMs;
    const target = Math.floor(nowMs / bucketMs) * bucketMs;
    if (this.state.closedUpToMs === null) {
      const pendingStarts = Object.keys(this.state.pending).map((k) => Number(k) * bucketMs);
      this.state.closedUpToMs = Math.min(target, ...pendingStarts);
    }
    const emitted: Signal[] = [];
    while (this.state.closedUpToMs < target) {
      if (target - this.state.closedUpToMs > this.config.maxCatchUpMs) this.skipIdleGap(target);
      const index = Math.round(this.state.closedUpToMs / bucketMs);
      const bucket = this.state.pending[String(index)];
      delete this.state.pending[String(index)];
      this.state.closedUpToMs += bucketMs;
      emitted.push(...this.closeBucket(this.state.closedUpToMs, bucket));
    }
    return emitted;
  }

  /** A jump longer than `maxCatchUpMs` (a restart after days) is not replayed bucket by bucket. */
  private skipIdleGap(target: number): void {
    const bucketMs = this.config.bucketMs;
    const pendingStarts = Object.keys(this.state.pending).map((k) => Number(k) * bucketMs);
    const earliest = Math.min(target - this.config.maxCatchUpMs, ...pendingStarts);
    const closed = this.state.closedUpToMs ?? earliest;
    this.state.closedUpToMs = Math.max(closed, Math.floor(earliest / bucketMs) * bucketMs);
  }

  private closeBucket(endMs: number, pending: PendingBucket | undefined): Signal[] {
    const config = this.config;
    // Series and services first seen after this bucket do not exist yet in it: an empty leading
    // bucket would drag their baselines down, and a replay batched differently would differ.
    const series = Object.values(this.state.series).filter((s) => s.firstMs < endMs);
    for (const s of series) pushHistory(s, pending?.series[s.id] ?? EMPTY_BUCKET, config);
    const services = Object.values(this.state.services).filter((a) => a.firstMs < endMs);
    for (const a of services) {
      const n = pending?.activity[a.service] ?? 0;
      a.history.push(n);
    }
    const metrics = this.closeMetrics(pending?.metrics ?? []);

    const tracker = this.state.tracker;
    const ctx = detectorContext(endMs, this.config, this.state, {
      series,
      services,
      logs: pending?.logs ?? emptyLogBucket(),
      metrics,
      counters: pending?.counters ?? [],
      histograms: pending?.histograms ?? [],
    });
    const evaluations: Evaluation[] = [];
    for (const d of this.detectors) evaluations.push(...d.evaluate(ctx, this.state.detectors[d.name]));
    const signals = applyEvaluations(tracker, evaluations, endMs, config, (service, startedAtMs, detectedAtMs) =>
      linkChange(this.state.changes, config.changeWindowMs, service, startedAtMs, detectedAtMs),
    );
    noteElevated((this.state.elevated ??= {}), evaluations, endMs, (key) => isFiring(tracker, key), config);

    // Baselines do not learn what is being flagged (anomalous, firing, or a regime change such as a
    // surge without errors), so the usual stays usual; after `adaptAfterMs` a lasting shift becomes
    // the new normal. Merely elevated noise is learned, or the baseline would be biased low.
    const unusual = this.state.unusualSince;
    const flagged = new Set<string>();
    for (const e of evaluations) if (e.state === 'anomalous' || e.holdBaseline === true || activeSignal(tracker, e.key)) flagged.add(e.key);
    for (const key of Object.keys(unusual)) if (!flagged.has(key)) delete unusual[key];
    for (const key of flagged) unusual[key] ??= endMs;
    const frozen = (key: string): boolean => {
      const since = unusual[key];
      return since !== undefined && endMs - since < config.adaptAfterMs;
    };
    // Which evaluations hold which baseline is each detector's own policy (Detector.holdsBaselines).
    const held = (baseline: Baseline, id: string): boolean => baselineHolders[baseline].some((prefix) => frozen(`${prefix}|${id}`));
    for (const s of series) {
      const bucket = s.history[s.history.length - 1] ?? EMPTY_BUCKET;
      learnBucket(s, endMs, bucket, { requests: !held('requests', s.id), errors: !held('errors', s.id), latency: !held('latency', s.id) }, config);
    }
    for (const a of services) {
      const n = a.history.pop() ?? 0;
      closeActivityBucket(a, endMs, n, held('activity', a.service), config);
    }
    if (endMs % GC_EVERY_MS === 0) this.forgetIdle(endMs);
    return signals;
  }

  /** Feeds the bucket's gauges to the saturation pairs; returns them in event-time order for the detectors. */
  private closeMetrics(metrics: readonly PendingMetric[]): PendingMetric[] {
    if (metrics.length === 0) return [];
    // Limits first, then usages, each in event-time order, so a usage meets the limit sent with it.
    const ordered = metrics.map((m, i) => ({ m, i })).sort((a, b) => a.m.timeMs - b.m.timeMs || a.i - b.i);
    const full = (m: PendingMetric): MetricPoint => ({
      ...m,
      description: '',
      temporality: 'unspecified',
      startTimeMs: 0,
      resourceAttributes: {},
      ...noDistribution(),
    });
    const isLimit = (name: string): boolean => name.endsWith('.max') || name.endsWith('.limit');
    for (const { m } of ordered) if (isLimit(m.name)) observeGaugePoint(this.state.gauges, full(m), this.config);
    for (const { m } of ordered) if (!isLimit(m.name)) observeGaugePoint(this.state.gauges, full(m), this.config);
    return ordered.map(({ m }) => m);
  }

  /** Series, services and gauges silent for over a week are forgotten, unless a signal is open on them. */
  private forgetIdle(nowMs: number): void {
    const open = new Set(activeSignals(this.state.tracker).map((s) => s.subject.service));
    for (const id of Object.keys(this.state.series)) {
      const s = this.state.series[id];
      if (s && nowMs - s.lastSeenMs > FORGET_AFTER_MS && !open.has(s.service)) delete this.state.series[id];
    }
    for (const name of Object.keys(this.state.services)) {
      const a = this.state.services[name];
      if (a && nowMs - a.lastSeenMs > FORGET_AFTER_MS && !open.has(name)) delete this.state.services[name];
    }
    for (const id of Object.keys(this.state.gauges.series)) {
      const g = this.state.gauges.series[id];
      const last = g?.points[g.points.length - 1];
      if (g && (!last || nowMs - last[0] > FORGET_AFTER_MS)) delete this.state.gauges.series[id];
    }
  }

  activeSignals(): Signal[] {
    return activeSignals(this.state.tracker);
  }

  /** Moves detectors measured in the last two hours but did not page on: weak evidence for root-cause ranking. */
  elevatedShifts(): ElevatedShift[] {
    return elevatedShifts(this.state.elevated ?? {});
  }

  /** JSON-serializable; `new DetectionEngine(config, snapshot)` continues identically. */
  snapshot(): DetectionSnapshot {
    for (const d of this.detectors) d.persist?.(this.state.detectors[d.name]);
    const miners: Record<string, TemplateMinerSnapshot> = {};
    for (const [service, miner] of this.miners) miners[service] = miner.snapshot();
    return JSON.parse(JSON.stringify({ ...this.state, miners })) as DetectionSnapshot;
  }
}
