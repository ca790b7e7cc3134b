// What a check runner gets besides its check: the trace it propagates, a deadline, variables
// carried between journey steps, the wall clock, heartbeat pings and where to put artifacts.
import type { RunResult } from '../result.js';
import type { CheckDefinition, CheckKind } from '../schema.js';

export interface RunContext {
  /** W3C trace id of this run: every request carries it in `traceparent`. */
  traceId: string;
  newSpanId(): string;
  /** Wall-clock time (epoch ms) after which the run is abandoned. */
  deadlineMs: number;
  now(): number;
  /** When a heartbeat check was last pinged (epoch ms), and since when it is watched. */
  heartbeat(name: string): { lastPingMs?: number; watchedSinceMs: number };
  /** Where screenshots and traces of failed browser runs go; none, none are saved. */
  artifactsDir?: string;
  /** The Chromium binary for browser checks. */
  chromiumPath: string;
}

/** What a runner returns; the scheduler adds name, kind, time and trace id. */
export type RunOutcome = Pick<RunResult, 'steps' | 'details'>;

export type CheckRunner<C extends CheckDefinition = CheckDefinition> = (check: C, ctx: RunContext) => Promise<RunOutcome>;

export type RunnerRegistry = { [K in CheckKind]: CheckRunner<Extract<CheckDefinition, { kind: K }>> };

/** Milliseconds left before the deadline (at least 1, so a timer still fires). */
export const remainingMs = (ctx: RunContext): number => Math.max(1, ctx.deadlineMs - ctx.now());
