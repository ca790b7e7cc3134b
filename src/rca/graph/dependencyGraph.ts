// The live service dependency graph, fed spans: nodes (services and the databases, caches, queues
// and hosts they call), caller → callee edges with bounded bucketed history, versions, entry
// services, and error-origin / self-time accounting. Pure: event time comes from the spans.

import type { GraphEdge, GraphNode, NodeKind, Span } from '../../model/index.js';
import { BucketSeries } from './bucketSeries.js';
import type { BucketSeriesOptions, BucketSeriesState } from './bucketSeries.js';
import { dialledAddress, isInbound, isOutbound, peerKind, peerName, servedAt } from './peers.js';
import { addEdgeCall, emptyEdgeBucket, emptyServiceBucket, mergeEdgeBucket, mergeServiceBucket } from './stats.js';
import type { EdgeBucket, ServiceBucket } from './stats.js';
import { recordLatency } from './latencyHistogram.js';
import { TraceBuffer } from './traceBuffer.js';
import type { BufferedSpan, TraceAccounting, TraceBufferState } from './traceBuffer.js';
import { edgeWindow, serviceWindow } from './windows.js';
import type { EdgeWindow, ServiceWindow } from './windows.js';

export interface DependencyGraphOptions {
  minuteRetentionMs: number; // 1-minute buckets kept this long (default 2 h)
  hourRetentionMs: number; // hourly rollups kept this long (default 7 days)
  traceTtlMs: number; // how long a trace stays in the pairing buffer (event time)
  maxTraces: number; // bound on the pairing buffer
  /** Share of a service's requests arriving without an instrumented parent that makes it an entry. */
  entryShare: number;
  /** Bound on nodes: peers beyond it (e.g. one host name per customer) are not tracked. */
  maxNodes: number;
}

export const defaultGraphOptions: DependencyGraphOptions = {
  minuteRetentionMs: 2 * 3_600_000,
  hourRetentionMs: 7 * 24 * 3_600_000,
  traceTtlMs: 120_000,
  maxTraces: 50_000,
  entryShare: 0.01,
  maxNodes: 2000,
};

export interface VersionInfo {
  version: string;
  firstSeenMs: number;
  lastSeenMs: number;
}

interface NodeState {
  name: string;
  kind: NodeKind;
  instrumented: boolean;
  firstSeenMs: number;
  lastSeenMs: number;
  requests: number;
  entryRequests: number;
  versions: Record<string, { firstSeenMs: number; lastSeenMs: number }>;
}

interface EdgeState {
  caller: string;
  callee: string;
  firstSeenMs: number;
  lastSeenMs: number;
}

export interface DependencyGraphSnapshot {
  version: 1;
  nodes: NodeState[];
  edges: Array<EdgeState & { series: BucketSeriesState<EdgeBucket> }>;
  services: Array<[string, BucketSeriesState<ServiceBucket>]>;
  aliases: Array<[string, string]>;
  addresses?: Array<[string, string]>;
  /** Absent from periodic snapshots (see snapshotJson); a restart then pairs from scratch. */
  buffer?: TraceBufferState;
}

const edgeKey = (caller: string, callee: string): string => `${caller}\u0000${callee}`;

export class DependencyGraph implements TraceAccounting {
  private readonly options: DependencyGraphOptions;
  private readonly seriesOptions: BucketSeriesOptions;
  private readonly nodeStates = new Map<string, NodeState>();
  private readonly edgeStates = new Map<string, EdgeState>();
  private readonly edgeSeries = new Map<string, BucketSeries<EdgeBucket>>();
  private readonly serviceSeries = new Map<string, BucketSeries<ServiceBucket>>();
  /** Peer names callers use for instrumented services (e.g. "payment:8080" → "payment-service"). */
  private readonly aliases = new Map<string, string>();
  /** Addresses instrumented services say they serve at (server spans' server.address/port) → service; '' when two claim it. */
  private readonly addresses = new Map<string, string>();
  private readonly buffer: TraceBuffer;
  private latestMs = -Infinity;

  constructor(options: Partial<DependencyGraphOptions> = {}, snapshot?: DependencyGraphSnapshot) {
    this.options = { ...defaultGraphOptions, ...options };
    this.seriesOptions = { minuteRetentionMs: this.options.minuteRetentionMs, hourRetentionMs: this.options.hourRetentionMs };
    this.buffer = new TraceBuffer(this.options.traceTtlMs, this.options.maxTraces, snapshot?.buffer);
    if (snapshot) this.restore(snapshot);
  }

  observeSpans(spans: readonly Span[]): void {
    for (const span of spans) this.observe(span);
    this.buffer.expire(this.latestMs, this);
  }

  // ---- queries -------------------------------------------------------------------------------

  nodes(): GraphNode[] {
    return [...this.nodeStates.values()].map((n) => ({
      name: n.name,
      kind: n.kind,
      versions: this.versions(n.name).map((v) => v.version),
    }));
  }

  nodeKind(name: string): NodeKind | undefined {
    return this.nodeStates.get(this.resolve(name))?.kind;
  }

  /** Edges with their statistics over [fromMs, toMs) (all retained history by default). */
  edges(fromMs = -Infinity, toMs = Infinity): GraphEdge[] {
    return [...this.edgeStates.entries()].map(([key, e]) => {
      const w = edgeWindow(this.edgeSeries.get(key)?.range(fromMs, toMs) ?? emptyEdgeBucket());
      return { caller: e.caller, callee: e.callee, calls: w.calls, errors: w.errors, p95Ms: w.p95Ms, firstSeenMs: e.firstSeenMs, lastSeenMs: e.lastSeenMs };
    });
  }

  edge(caller: string, callee: string): GraphEdge | undefined {
    return this.edges().find((e) => e.caller === this.resolve(caller) && e.callee === this.resolve(callee));
  }

  callers(name: string): string[] {
    const n = this.resolve(name);
    return [...this.edgeStates.values()].filter((e) => e.callee === n).map((e) => e.caller);
  }

  callees(name: string): string[] {
    const n = this.resolve(name);
    return [...this.edgeStates.values()].filter((e) => e.caller === n).map((e) => e.callee);
  }

  /** Callers and callees: what the incident engine's Topology needs. */
  neighbours(service: string): string[] {
    return [...new Set([...this.callers(service), ...this.callees(service)])];
  }

  /** Customer-facing: receives requests with no instrumented parent service. */
  isEntry(service: string): boolean {
    const n = this.nodeStates.get(this.resolve(service));
    if (!n || n.requests === 0) return false;
    return n.entryRequests > 0 && n.entryRequests / n.requests >= this.options.entryShare;
  }

  edgeStats(caller: string, callee: string, fromMs: number, toMs: number): EdgeWindow {
    const series = this.edgeSeries.get(edgeKey(this.resolve(caller), this.resolve(callee)));
    return edgeWindow(series?.range(fromMs, toMs) ?? emptyEdgeBucket());
  }

  serviceStats(service: string, fromMs: number, toMs: number): ServiceWindow {
    const series = this.serviceSeries.get(this.resolve(service));
    return serviceWindow(series?.range(fromMs, toMs) ?? emptyServiceBucket());
  }

  /** Versions of a service in the order they first appeared. */
  versions(service: string): VersionInfo[] {
    const n = this.nodeStates.get(this.resolve(service));
    if (!n) return [];
    return Object.entries(n.versions)
      .map(([version, v]) => ({ version, ...v }))
      .sort((a, b) => a.firstSeenMs - b.firstSeenMs);
  }

  /** The event time of the newest span seen. */
  get watermarkMs(): number {
    return this.latestMs;
  }

  /** Memory bounds, for tests and benchmarks. */
  get footprint(): { nodes: number; edges: number; bufferedTraces: number; minuteBuckets: number; hourBuckets: number } {
    let minuteBuckets = 0;
    let hourBuckets = 0;
    for (const s of [...this.edgeSeries.values(), ...this.serviceSeries.values()]) {
      minuteBuckets += s.sizes.minutes;
      hourBuckets += s.sizes.hours;
    }
    return { nodes: this.nodeStates.size, edges: this.edgeStates.size, bufferedTraces: this.buffer.size, minuteBuckets, hourBuckets };
  }

  snapshot(): DependencyGraphSnapshot {
    return JSON.parse(this.snapshotJson()) as DependencyGraphSnapshot;
  }

  /**
   * The snapshot already serialised (building an object copy first doubled the heap a save needs).
   * The pairing buffer is ~97% of it (megabytes at a few hundred spans/s) but holds only the last
   * two minutes of traces, so the periodic saves leave it out (`withPairingBuffer: false`) and a
   * graceful stop keeps it: only a crash loses the pairing of traces in flight.
   */
  snapshotJson(o: { withPairingBuffer: boolean } = { withPairingBuffer: true }): string {
    return JSON.stringify({
      version: 1,
      nodes: [...this.nodeStates.values()],
      edges: [...this.edgeStates.entries()].map(([k, e]) => ({ ...e, series: this.edgeSeries.get(k)?.state() })),
      services: [...this.serviceSeries.entries()].map(([k, s]) => [k, s.state()]),
      aliases: [...this.aliases],
      addresses: [...this.addresses],
      buffer: o.withPairingBuffer ? this.buffer.state() : undefined,
    });
  }

  // ---- TraceAccounting (called by the pairing buffer) -----------------------------------------

  origin(service: string, atMs: number, peer: string, delta: number): void {
    const b = this.serviceBucket(service, atMs);
    b.originErrors += delta;
    if (peer) {
      const p = this.resolve(peer);
      b.originErrorsByPeer[p] = (b.originErrorsByPeer[p] ?? 0) + delta;
    }
  }

  propagated(service: string, atMs: number, delta: number): void {
    this.serviceBucket(service, atMs).propagatedErrors += delta;
  }

  self(service: string, atMs: number, deltaMs: number): void {
    this.serviceBucket(service, atMs).selfMs += deltaMs;
  }

  crossService(parent: BufferedSpan, child: BufferedSpan): void {
    if (parent.outbound && child.inbound) {
      if (parent.peer && parent.peer !== child.service && !this.aliases.has(parent.peer)) this.alias(parent.peer, child.service);
      return;
    }
    // No client span between two services (uninstrumented client library): the child's server
    // span stands for the call.
    if (child.inbound && !parent.outbound) this.recordEdge(parent.service, child.service, 'service', child.startMs, child.durationMs, child.failed);
  }

  orphanInbound(child: BufferedSpan): void {
    this.serviceBucket(child.service, child.startMs).entryRequests += 1;
    const n = this.nodeStates.get(child.service);
    if (n) n.entryRequests += 1;
  }

  // ---- internals -------------------------------------------------------------------------------

  private observe(span: Span): void {
    const t = span.startTimeMs;
    const end = t + span.durationMs;
    if (end > this.latestMs) this.latestMs = end;
    const failed = span.statusCode === 'error';
    const node = this.touchNode(span.service, 'service', true, t);
    if (span.serviceVersion) {
      const v = (node.versions[span.serviceVersion] ??= { firstSeenMs: t, lastSeenMs: t });
      v.firstSeenMs = Math.min(v.firstSeenMs, t);
      v.lastSeenMs = Math.max(v.lastSeenMs, t);
    }
    let peer = '';
    if (isInbound(span)) {
      const b = this.serviceBucket(span.service, t);
      b.requests += 1;
      if (failed) b.errors += 1;
      recordLatency(b.latency, span.durationMs);
      const vb = (b.byVersion[span.serviceVersion] ??= { requests: 0, errors: 0, durationSumMs: 0 });
      vb.requests += 1;
      if (failed) vb.errors += 1;
      vb.durationSumMs += span.durationMs;
      node.requests += 1;
      for (const address of servedAt(span)) this.learnAddress(address, span.service);
      if (!span.parentSpanId) {
        b.entryRequests += 1;
        node.entryRequests += 1;
      }
    } else if (isOutbound(span)) {
      const raw = this.addressOwner(span) || this.sharedHostPeer(span) || peerName(span);
      if (raw && (this.nodeStates.has(this.resolve(raw)) || this.nodeStates.size < this.options.maxNodes)) {
        peer = this.resolve(raw);
        const known = this.nodeStates.get(peer);
        const kind = known?.instrumented ? 'service' : peerKind(span);
        this.recordEdge(span.service, peer, kind, t, span.durationMs, failed);
        const b = this.serviceBucket(span.service, t);
        b.waitMsByPeer[peer] = (b.waitMsByPeer[peer] ?? 0) + span.durationMs;
      }
    }
    this.buffer.add(
      span.traceId,
      {
        spanId: span.spanId,
        parentId: span.parentSpanId,
        service: span.service,
        startMs: t,
        durationMs: span.durationMs,
        failed,
        inbound: isInbound(span),
        outbound: isOutbound(span),
        peer,
      },
      this,
    );
  }

  private recordEdge(caller: string, callee: string, kind: NodeKind, t: number, durationMs: number, failed: boolean): void {
    this.touchNode(callee, kind, kind === 'service' && this.nodeStates.get(callee)?.instrumented === true, t);
    const key = edgeKey(caller, callee);
    let e = this.edgeStates.get(key);
    if (!e) {
      e = { caller, callee, firstSeenMs: t, lastSeenMs: t };
      this.edgeStates.set(key, e);
    }
    e.firstSeenMs = Math.min(e.firstSeenMs, t);
    e.lastSeenMs = Math.max(e.lastSeenMs, t);
    addEdgeCall(this.edgeBucketSeries(key).bucketAt(t), durationMs, failed);
  }

  private touchNode(name: string, kind: NodeKind, instrumented: boolean, t: number): NodeState {
    let n = this.nodeStates.get(name);
    if (!n) {
      n = { name, kind, instrumented, firstSeenMs: t, lastSeenMs: t, requests: 0, entryRequests: 0, versions: {} };
      this.nodeStates.set(name, n);
    }
    if (instrumented && !n.instrumented) {
      n.instrumented = true;
      n.kind = 'service';
    }
    n.firstSeenMs = Math.min(n.firstSeenMs, t);
    n.lastSeenMs = Math.max(n.lastSeenMs, t);
    return n;
  }

  private resolve(name: string): string {
    return this.aliases.get(name) ?? name;
  }

  /** The instrumented service a name stands for (an alias or an address it serves at), else the name. */
  canonical(name: string): string {
    const owner = this.addresses.get(name);
    return owner ? owner : this.resolve(name);
  }

  private learnAddress(address: string, service: string): void {
    const known = this.addresses.get(address);
    if (known === undefined) {
      if (this.addresses.size >= this.options.maxNodes) return;
      this.addresses.set(address, service);
      // Calls made before the service said where it serves were kept under the address: fold them in.
      if (this.nodeStates.get(address)?.instrumented === false && !this.aliases.has(address)) this.alias(address, service);
    } else if (known !== service) this.addresses.set(address, ''); // shared (localhost, a gateway): names nobody
  }

  /** A bare host several services serve at (localhost, a gateway) names nobody: keep the port. */
  private sharedHostPeer(span: Span): string {
    const [withPort, host] = dialledAddress(span);
    return host !== undefined && withPort !== undefined && this.addresses.get(host) === '' ? withPort : '';
  }

  /** A client span that names its peer only by address: the service serving at that address, if one does. */
  private addressOwner(span: Span): string {
    for (const address of dialledAddress(span)) {
      const owner = this.addresses.get(address);
      if (owner) return owner;
      if (owner === '') continue; // shared bare host: try nothing looser
    }
    return '';
  }

  /** `peer` turned out to be instrumented `service`: fold the phantom node's history into it. */
  private alias(peer: string, service: string): void {
    this.aliases.set(peer, service);
    const phantom = this.nodeStates.get(peer);
    if (!phantom || phantom.instrumented) return;
    this.nodeStates.delete(peer);
    for (const [key, e] of [...this.edgeStates]) {
      if (e.callee !== peer) continue;
      const series = this.edgeSeries.get(key);
      this.edgeStates.delete(key);
      this.edgeSeries.delete(key);
      const target = edgeKey(e.caller, service);
      const existing = this.edgeStates.get(target);
      if (existing) {
        existing.firstSeenMs = Math.min(existing.firstSeenMs, e.firstSeenMs);
        existing.lastSeenMs = Math.max(existing.lastSeenMs, e.lastSeenMs);
      } else this.edgeStates.set(target, { ...e, callee: service });
      if (series) this.edgeBucketSeries(target).absorb(series);
    }
  }

  private serviceBucket(service: string, t: number): ServiceBucket {
    let s = this.serviceSeries.get(service);
    if (!s) {
      s = new BucketSeries(this.seriesOptions, emptyServiceBucket, mergeServiceBucket);
      this.serviceSeries.set(service, s);
    }
    return s.bucketAt(t);
  }

  private edgeBucketSeries(key: string): BucketSeries<EdgeBucket> {
    let s = this.edgeSeries.get(key);
    if (!s) {
      s = new BucketSeries(this.seriesOptions, emptyEdgeBucket, mergeEdgeBucket);
      this.edgeSeries.set(key, s);
    }
    return s;
  }

  private restore(snapshot: DependencyGraphSnapshot): void {
    for (const n of snapshot.nodes) this.nodeStates.set(n.name, n);
    for (const { series, ...e } of snapshot.edges) {
      const key = edgeKey(e.caller, e.callee);
      this.edgeStates.set(key, e);
      this.edgeSeries.set(key, new BucketSeries(this.seriesOptions, emptyEdgeBucket, mergeEdgeBucket, series));
      this.latestMs = Math.max(this.latestMs, series.latestMs);
    }
    for (const [name, state] of snapshot.services) {
      this.serviceSeries.set(name, new BucketSeries(this.seriesOptions, emptyServiceBucket, mergeServiceBucket, state));
      this.latestMs = Math.max(this.latestMs, state.latestMs);
    }
    for (const [peer, service] of snapshot.aliases) this.aliases.set(peer, service);
    for (const [address, service] of snapshot.addresses ?? []) this.addresses.set(address, service);
  }
}
