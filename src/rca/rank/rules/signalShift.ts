// Rule: graph-free evidence (the BARO / N-Sigma family): the service whose own signals moved first
// and most is the likeliest origin. It needs no dependency graph, traces or changes, so every
// incident gets a ranking; its weights stay low so any rule that localizes the fault outranks it.
// When a graph is known, a service whose move one of its callees explains (the callee moved at
// least half as far, in robust z) ranks below every unexplained one: effects travel to callers,
// and a small anomaly rarely causes a much larger one (the anomaly-traversal family). Moves the
// detectors measured but did not page on (sub-threshold, 'elevated') count as weak evidence: they
// can explain a caller's move as well as a firing one, but a service moved only that much weighs less.
// So do moves that paged in another incident of the same episode (begun within one correlation
// window before the onset): correlation kept them apart, but they are at least as much evidence as
// a move that never paged.

import type { ElevatedShift, RootCauseKind, Signal } from '../../../model/index.js';
import { clock } from '../format.js';
import type { Finding, RcaRule, RuleContext } from '../types.js';

/** The most this rule alone can give a service: below every localizing rule's typical weight. */
const MAX_WEIGHT = 0.3;
/** Onsets within this of the earliest count as first (detection resolution). */
const RESOLUTION_MS = 30_000;
/** An edge signal (caller → peer) is the callee's evidence first; the caller only sees it. */
const CALLER_SHARE = 0.5;
/** A callee explains a caller's move when it moved at least this share as far (robust z). */
const EXPLAIN_SHARE = 0.5;
/** Explained services share the lower part of the weight scale, unexplained ones the upper: an explained one ranks below any unexplained. */
const EXPLAINED_WEIGHT = 0.5;
/** The robust z at which shiftMagnitude saturates; inverts it for signals that carry no z. */
const FULL_Z = 30;
/** A service that moved only under its detectors' paging bars keeps this share within its part of the scale: weak evidence. */
const ELEVATED_WEIGHT = 0.5;

/** What this rule reads of a move, firing or not. */
type Move = Pick<Signal, 'kind' | 'subject' | 'startedAtMs' | 'score' | 'evidence' | 'observed' | 'baseline' | 'unit'>;

interface ServiceShift {
  service: string;
  firstMs: number;
  /** Strongest robust shift among its signals, 0..1. */
  magnitude: number;
  /** The same as a robust z, uncapped (so two large moves still compare). */
  z: number;
  /** How many milliseconds slower its requests became (its largest latency move), 0 for none. */
  riseMs: number;
  /** Its largest latency move as a robust z: whether latency is what moved most (failures may have). */
  latencyZ: number;
  kinds: Set<string>;
  resource: boolean;
  count: number;
  /** Whether any of its moves paged (a signal of the incident), not only sub-threshold ones. */
  paged: boolean;
  /** Whether any of its moves paged in another incident. */
  elsewhere: boolean;
}

const RESOURCE_KINDS = new Set(['saturation', 'saturation-forecast', 'metric-anomaly']);

/** How far a signal moved from its baseline, 0..1: the robust z when detection gives one, else its score. */
export function shiftMagnitude(s: Move): number {
  const z = Number(s.evidence['robustZ']);
  if (Number.isFinite(z) && z > 0) return Math.min(1, Math.log1p(z) / Math.log1p(FULL_Z)); // z 30 → full
  return Math.max(0, Math.min(1, Number.isFinite(s.score) ? s.score : 0.5));
}

/** A signal's move as a robust z: its own when detection gives one, else its magnitude read back as one. */
function shiftZ(s: Move): number {
  const z = Number(s.evidence['robustZ']);
  return Number.isFinite(z) && z > 0 ? z : Math.expm1(shiftMagnitude(s) * Math.log1p(FULL_Z));
}

/** How many milliseconds slower a latency move made its requests: the detector's figure, or a span latency signal's p95 against its usual; 0 for other moves. */
export function latencyRiseMs(s: Move): number {
  const given = Number(s.evidence['riseMs']);
  if (Number.isFinite(given)) return Math.max(0, given);
  return s.kind === 'latency' && s.unit === 'ms' && Number.isFinite(s.observed - s.baseline) ? Math.max(0, s.observed - s.baseline) : 0;
}

/** How a move reached the ranking: a signal of the incident, a sub-threshold move, or a signal of another incident. */
type Source = 'paged' | 'elevated' | 'elsewhere';

function note(byService: Map<string, ServiceShift>, service: string, s: Move, share: number, source: Source): void {
  const paged = source === 'paged';
  const entry = byService.get(service) ?? {
    service,
    firstMs: s.startedAtMs,
    magnitude: 0,
    z: 0,
    riseMs: 0,
    latencyZ: 0,
    kinds: new Set<string>(),
    resource: false,
    count: 0,
    paged,
    elsewhere: false,
  };
  entry.firstMs = Math.min(entry.firstMs, s.startedAtMs);
  entry.magnitude = Math.max(entry.magnitude, share * shiftMagnitude(s));
  entry.z = Math.max(entry.z, share * shiftZ(s));
  const riseMs = latencyRiseMs(s);
  entry.riseMs = Math.max(entry.riseMs, share * riseMs);
  if (riseMs > 0) entry.latencyZ = Math.max(entry.latencyZ, share * shiftZ(s));
  entry.kinds.add(s.kind);
  entry.resource ||= RESOURCE_KINDS.has(s.kind) && /cpu|memory|heap|thread|goroutine|gc|pool|queue|rss/i.test(s.subject.metric ?? '');
  entry.count += 1;
  entry.paged ||= paged;
  entry.elsewhere ||= source === 'elsewhere';
  byService.set(service, entry);
}

export function serviceShifts(
  signals: readonly Signal[],
  canonical: (name: string) => string = (n) => n,
  elevated: readonly ElevatedShift[] = [],
  elsewhere: readonly Signal[] = [],
): ServiceShift[] {
  const byService = new Map<string, ServiceShift>();
  const moves: Array<[Move, Source]> = [
    ...signals.map((s): [Move, Source] => [s, 'paged']),
    ...elevated.map((e): [Move, Source] => [e, 'elevated']),
    ...elsewhere.map((s): [Move, Source] => [s, 'elsewhere']),
  ];
  for (const [s, paged] of moves) {
    if (s.kind === 'throughput-surge') continue; // demand, not a fault
    const peer = s.subject.peer ? canonical(s.subject.peer) : undefined;
    if (peer && (s.kind === 'error-rate' || s.kind === 'latency' || s.kind === 'change-point')) {
      note(byService, peer, s, 1, paged);
      note(byService, s.subject.service, s, CALLER_SHARE, paged);
    } else note(byService, s.subject.service, s, 1, paged);
  }
  return [...byService.values()].sort((a, b) => a.firstMs - b.firstMs || b.magnitude - a.magnitude || a.service.localeCompare(b.service));
}

function kindFor(ctx: RuleContext, shift: ServiceShift): RootCauseKind {
  const node = ctx.graph?.nodeKind(shift.service);
  if (node !== undefined && node !== 'service') return 'dependency-failure';
  return shift.resource ? 'resource-exhaustion' : 'code-error';
}

/**
 * The callee whose own move explains this service's, if any: it moved at least half as far in
 * robust z, or its requests became at least half as many milliseconds slower as this service's
 * (a caller waits out its callee's added time, however noisy the callee was before: a table that
 * went from 14 to 146 ms explains a search going from 6 to 147 ms though its z is smaller).
 */
function explainedBy(
  ctx: RuleContext,
  shift: ServiceShift,
  byService: ReadonlyMap<string, ServiceShift>,
  canonical: (name: string) => string,
): ServiceShift | undefined {
  const graph = ctx.graph;
  if (!graph) return undefined;
  // Milliseconds explain a latency move only: a service whose failures moved most is not explained by a callee a few ms slower.
  const slowest = shift.riseMs > 0 && shift.latencyZ >= shift.z;
  const movedAsFar = (other: ServiceShift): boolean => other.z >= EXPLAIN_SHARE * shift.z || (slowest && other.riseMs >= EXPLAIN_SHARE * shift.riseMs);
  let best: ServiceShift | undefined;
  for (const name of candidatesFor(graph, shift.service)) {
    const other = byService.get(canonical(name));
    if (!other || other.service === shift.service || !movedAsFar(other)) continue;
    if (!best || other.z > best.z) best = other;
  }
  return best;
}

/**
 * Who could explain a node's move: its callees; and for an external dependency (an address, a
 * balancer, known only through its callers' calls), the instrumented services its callers also
 * call that do not call it. A caller that sees both an address and a service move as far in the
 * same minutes is likeliest seeing that service behind a balancer or proxy under two names (the
 * graph cannot say which service an address fronts); the service's own figures are the better evidence.
 */
function candidatesFor(graph: NonNullable<RuleContext['graph']>, service: string): string[] {
  const callees = graph.callees(service);
  if (graph.nodeKind(service) !== 'external') return callees;
  const siblings = graph
    .callers(service)
    .flatMap((caller) => graph.callees(caller))
    .filter((s) => s !== service && graph.nodeKind(s) === 'service' && !graph.callees(s).includes(service));
  return [...new Set([...callees, ...siblings])];
}

export const signalShift: RcaRule = {
  name: 'signal-shift',
  evaluate(ctx: RuleContext): Finding[] {
    const graph = ctx.graph;
    const canonical = (n: string): string => graph?.canonical?.(n) ?? n;
    const own = new Set(ctx.signals.map((s) => s.id));
    const { beforeFromMs, beforeToMs, onsetMs, nowMs } = ctx.window;
    // Another incident's signals of this one's episode, read as the sub-threshold moves are: still
    // firing when the "before" window ended, and begun no earlier than one correlation window before
    // the onset. A fault reaches its callers in seconds to minutes, and the incident engine itself
    // counts onsets further apart as separate problems: a page begun 20 min before, in an incident of
    // its own, is not what set this one off. Sub-threshold moves were never grouped into incidents, so
    // they have only the comparison's bound (buildRuleContext: under way before the "before" window
    // began is the usual state) and the detector's own episodes (detect/elevated.ts).
    const episodeFromMs = Math.max(beforeFromMs, onsetMs - ctx.options.correlationWindowMs);
    const elsewhere = ctx.allSignals.filter(
      (s) => !own.has(s.id) && (s.endedAtMs ?? nowMs) >= beforeToMs && s.startedAtMs >= episodeFromMs && s.startedAtMs <= nowMs,
    );
    const shifts = serviceShifts(ctx.signals, graph?.canonical ? canonical : undefined, ctx.elevated, elsewhere);
    if (shifts.length === 0) return [];
    const byService = new Map(shifts.map((s) => [s.service, s]));
    // Order is read from the moves that paged: a sub-threshold move may count as first, but not take that from them.
    const paged = shifts.filter((s) => s.paged);
    const earliest = Math.min(...(paged.length > 0 ? paged : shifts).map((s) => s.firstMs));
    // Relative size on the uncapped log scale, so a z of 300 still outranks a z of 40.
    const strongest = Math.max(...shifts.map((s) => Math.log1p(s.z)), 1e-9);
    return shifts.map((shift) => {
      const first = shift.firstMs - earliest < RESOLUTION_MS;
      // Moved first and most → full weight; later or smaller moves scale down.
      const relative = Math.log1p(shift.z) / strongest;
      const cause = explainedBy(ctx, shift, byService, canonical);
      const strength = (0.35 + 0.4 * relative + (first ? 0.25 : 0)) * (shift.magnitude > 0 ? 1 : 0.5) * (shift.paged ? 1 : ELEVATED_WEIGHT);
      // A callee that explains the move is the likelier origin however little it moved, so the
      // explanation splits the scale before size, order or paging are weighed.
      const weight = MAX_WEIGHT * (cause ? EXPLAINED_WEIGHT * strength : EXPLAINED_WEIGHT + (1 - EXPLAINED_WEIGHT) * strength);
      const order = first ? `among the first to move (${clock(shift.firstMs)})` : `moved at ${clock(shift.firstMs)}, after ${clock(earliest)}`;
      // A sibling explains an external address: most likely the same service seen behind a balancer.
      const who =
        cause && !ctx.graph?.callees(shift.service).includes(cause.service) ? `${cause.service}, which its callers also call,` : `its callee ${cause?.service}`;
      const why = !cause
        ? ''
        : cause.z >= EXPLAIN_SHARE * shift.z
          ? `; ${who} moved as far (robust z ${Math.round(cause.z)} against ${Math.round(shift.z)}), which explains it`
          : `; ${who} became as much slower (${Math.round(cause.riseMs)} ms against ${Math.round(shift.riseMs)} ms), which explains it`;
      const weak = shift.paged ? '' : shift.elsewhere ? ', paged in another incident' : ', under the paging bar';
      const fact = `its own signals ${order}${weak}, shift ${Math.round(shift.magnitude * 100)}% of the strongest scale (${[...shift.kinds].sort().join(', ')})${why}`;
      return { rule: this.name, service: shift.service, kind: kindFor(ctx, shift), weight: Math.min(MAX_WEIGHT, weight), fact };
    });
  },
};
