// A short-lived, bounded per-trace buffer that pairs parents and children across batches, so the
// graph can tell where an error originated (a failing span whose children all succeeded) from
// where it only propagated, and split a service's time into its own work and waiting on calls.

/** What the buffer tells the graph as pairs resolve; deltas may be negative (a revision). */
export interface TraceAccounting {
  origin(service: string, atMs: number, peer: string, delta: number): void;
  propagated(service: string, atMs: number, delta: number): void;
  self(service: string, atMs: number, deltaMs: number): void;
  /** A span whose parent lives in another service: the caller → callee pairing (for aliases). */
  crossService(parent: BufferedSpan, child: BufferedSpan): void;
  /** An inbound span whose parent never showed up: traffic from outside the instrumented system. */
  orphanInbound(child: BufferedSpan): void;
}

export interface BufferedSpan {
  spanId: string;
  parentId: string;
  service: string;
  startMs: number;
  durationMs: number;
  failed: boolean;
  inbound: boolean;
  outbound: boolean;
  /** The callee's name for outbound spans, as resolved when the span arrived. */
  peer: string;
  /** False for a placeholder created because a child arrived before its parent. */
  seen: boolean;
  childWaitMs: number;
  failingChild: boolean;
  countedOrigin: boolean;
  countedSelfMs: number;
  /** Children that arrived before this span (ids), paired once it arrives. */
  earlyChildren?: string[];
}

interface TraceEntry {
  createdMs: number;
  spans: Map<string, BufferedSpan>;
}

interface TraceEntryState {
  createdMs: number;
  spans: Array<[string, BufferedSpan]>;
}

export interface TraceBufferState {
  traces: Array<[string, TraceEntryState]>;
}

export type IncomingSpan = Omit<BufferedSpan, 'seen' | 'childWaitMs' | 'failingChild' | 'countedOrigin' | 'countedSelfMs' | 'earlyChildren'>;

export class TraceBuffer {
  private readonly traces = new Map<string, TraceEntry>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxTraces: number,
    state?: TraceBufferState,
  ) {
    if (state) for (const [k, v] of state.traces) this.traces.set(k, { createdMs: v.createdMs, spans: new Map(v.spans) });
  }

  get size(): number {
    return this.traces.size;
  }

  add(traceId: string, incoming: IncomingSpan, acc: TraceAccounting): void {
    let trace = this.traces.get(traceId);
    if (!trace) {
      trace = { createdMs: incoming.startMs, spans: new Map() };
      this.traces.set(traceId, trace);
    }
    const existing = trace.spans.get(incoming.spanId);
    if (existing?.seen) return; // duplicate delivery
    const span: BufferedSpan = {
      ...incoming,
      seen: true,
      childWaitMs: existing?.childWaitMs ?? 0,
      failingChild: existing?.failingChild ?? false,
      countedOrigin: false,
      countedSelfMs: 0,
    };
    trace.spans.set(span.spanId, span);

    if (!span.outbound) {
      span.countedSelfMs = Math.max(0, span.durationMs - span.childWaitMs);
      if (span.countedSelfMs > 0) acc.self(span.service, span.startMs, span.countedSelfMs);
    }
    if (span.failed) {
      if (span.failingChild) acc.propagated(span.service, span.startMs, 1);
      else {
        span.countedOrigin = true;
        acc.origin(span.service, span.startMs, span.outbound ? span.peer : '', 1);
      }
    }
    if (span.parentId) this.linkToParent(trace, span, acc);
    for (const id of existing?.earlyChildren ?? []) {
      const child = trace.spans.get(id);
      if (child && child.service !== span.service) acc.crossService(span, child);
    }
  }

  /** Drops traces older than the ttl (event time) and beyond the size bound. */
  expire(nowMs: number, acc: TraceAccounting): void {
    for (const [id, trace] of this.traces) {
      if (trace.createdMs >= nowMs - this.ttlMs && this.traces.size <= this.maxTraces) break;
      this.traces.delete(id);
      for (const span of trace.spans.values()) {
        if (span.seen && span.inbound && span.parentId && !trace.spans.get(span.parentId)?.seen) acc.orphanInbound(span);
      }
    }
  }

  state(): TraceBufferState {
    return { traces: [...this.traces].map(([id, t]) => [id, { createdMs: t.createdMs, spans: [...t.spans] }]) };
  }

  private linkToParent(trace: TraceEntry, child: BufferedSpan, acc: TraceAccounting): void {
    let parent = trace.spans.get(child.parentId);
    if (!parent) {
      parent = placeholder(child.parentId);
      trace.spans.set(child.parentId, parent);
    }
    parent.childWaitMs += child.durationMs;
    if (child.failed) parent.failingChild = true;
    if (!parent.seen) {
      (parent.earlyChildren ??= []).push(child.spanId);
      return;
    }
    if (!parent.outbound && parent.countedSelfMs > 0) {
      const delta = Math.min(child.durationMs, parent.countedSelfMs);
      parent.countedSelfMs -= delta;
      acc.self(parent.service, parent.startMs, -delta);
    }
    if (child.failed && parent.failed && parent.countedOrigin) {
      parent.countedOrigin = false;
      acc.origin(parent.service, parent.startMs, parent.outbound ? parent.peer : '', -1);
      acc.propagated(parent.service, parent.startMs, 1);
    }
    if (parent.service !== child.service) acc.crossService(parent, child);
  }
}

function placeholder(spanId: string): BufferedSpan {
  return {
    spanId,
    parentId: '',
    service: '',
    startMs: 0,
    durationMs: 0,
    failed: false,
    inbound: false,
    outbound: false,
    peer: '',
    seen: false,
    childWaitMs: 0,
    failingChild: false,
    countedOrigin: false,
    countedSelfMs: 0,
  };
}
