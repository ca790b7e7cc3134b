// The root-cause ranking's port: what a rule sees (the incident's signals, changes, the graph
// and the time window) and what it returns (findings that support or weaken a candidate).

import type { ChangeEvent, ElevatedShift, GraphEdge, NodeKind, RootCauseKind, Signal } from '../../model/index.js';
import type { VersionInfo } from '../graph/dependencyGraph.js';
import type { EdgeWindow, ServiceWindow } from '../graph/windows.js';

/** The part of the dependency graph the rules read; DependencyGraph implements it. */
export interface GraphView {
  nodeKind(name: string): NodeKind | undefined;
  callers(name: string): string[];
  callees(name: string): string[];
  isEntry(name: string): boolean;
  edges(fromMs?: number, toMs?: number): GraphEdge[];
  edgeStats(caller: string, callee: string, fromMs: number, toMs: number): EdgeWindow;
  serviceStats(service: string, fromMs: number, toMs: number): ServiceWindow;
  versions(service: string): VersionInfo[];
  /** The instrumented service a peer name or address stands for (optional: graphs that know aliases). */
  canonical?(name: string): string;
}

export interface RcaOptions {
  /** How long before the onset a change still counts as lined up with it. */
  changeWindowMs: number;
  /** Length of the "before" window compared with the incident window. */
  baselineMs: number;
  /** The "before" window ends this long before the onset (detection onsets are estimates). */
  baselineGapMs: number;
  /**
   * The incidents' correlation window (incidents/config.ts `correlationWindowMs`): onsets further
   * apart than this are separate problems. Another incident's page begun earlier than this before
   * the onset belongs to another episode and is not read as this incident's evidence.
   */
  correlationWindowMs: number;
  maxResults: number;
}

export const defaultRcaOptions: RcaOptions = {
  changeWindowMs: 30 * 60_000,
  baselineMs: 30 * 60_000,
  baselineGapMs: 60_000,
  correlationWindowMs: 15 * 60_000,
  maxResults: 5,
};

export interface RootCauseInput {
  /** The incident's signals (firing and recovered). */
  signals: readonly Signal[];
  /** Other recent signals (not grouped into the incident) that may still explain it. */
  otherSignals?: readonly Signal[];
  /** Moves detectors measured but did not page on (the engine's elevatedShifts); those in the incident's minutes are weak evidence. */
  elevated?: readonly ElevatedShift[];
  /** Deploys and config changes around the window. */
  changes: readonly ChangeEvent[];
  graph?: GraphView;
  /** Estimated onset of the incident (event time). */
  onsetMs: number;
  /** The engine's current time: the incident window is [onset, now]. */
  nowMs: number;
  options?: Partial<RcaOptions>;
}

export interface RcaWindow {
  onsetMs: number;
  nowMs: number;
  beforeFromMs: number;
  beforeToMs: number;
}

export interface RuleContext {
  options: RcaOptions;
  window: RcaWindow;
  /** The incident's signals, oldest onset first. */
  signals: readonly Signal[];
  /** Incident signals plus other recent signals, oldest onset first. */
  allSignals: readonly Signal[];
  /** Sub-threshold moves seen from just before the onset (the baseline gap) to now, oldest onset first. */
  elevated: readonly ElevatedShift[];
  changes: readonly ChangeEvent[];
  graph: GraphView | undefined;
  /** Services and dependencies the incident's signals name (subjects and peers). */
  involved: ReadonlySet<string>;
}

/**
 * One piece of evidence about a candidate. Without `kind` it localizes the problem to the
 * service whatever the kind; a negative weight weakens the candidate (e.g. "errors only propagate").
 */
export interface Finding {
  rule: string;
  service: string;
  kind?: RootCauseKind;
  /** Support in (0, 1] or a penalty in [-1, 0). */
  weight: number;
  /** Plain language, with the numbers. */
  fact: string;
  /** The change a bad-deploy / config-change finding is about. */
  change?: ChangeEvent;
  /** The saturated pool's dependency, for saturation findings about a connection pool. */
  poolOf?: string;
}

/** A root-cause rule: one kind of evidence, one file, one registry entry. */
export interface RcaRule {
  name: string;
  evaluate(ctx: RuleContext): Finding[];
}
