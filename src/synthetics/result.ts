// What one run of a check produced: per step, its duration, answer and every assertion's outcome,
// so a failure reads like a test failure ("status: expected 200, got 503").

export interface AssertionResult {
  /** e.g. `status`, `maxLatencyMs`, `json $.status`, `bodyContains`. */
  assertion: string;
  ok: boolean;
  expected: string;
  actual: string;
}

export interface StepResult {
  name: string;
  ok: boolean;
  durationMs: number;
  /** HTTP status, when the step made a request. */
  status?: number;
  error?: string;
  assertions: AssertionResult[];
  /** Set when the step ran only because it is a clean-up (`always`) after a failure. */
  cleanup?: boolean;
  /** The span id the step sent as the parent in `traceparent` (its backend spans are children). */
  spanId?: string;
  /** Wall-clock start of the step (epoch ms). */
  startMs?: number;
}

export interface RunResult {
  name: string;
  kind: string;
  /** Wall-clock start of the run (epoch ms). */
  atMs: number;
  ok: boolean;
  durationMs: number;
  /** The first failure in words: the step and what went wrong. */
  error?: string;
  /** The W3C trace id the run propagated: its backend spans carry it. */
  traceId?: string;
  steps: StepResult[];
  /** Kind-specific figures: TLS days left, DNS answers, browser LCP/CLS, screenshot path … */
  details: RunDetails;
}

export type RunDetails = Record<string, string | number | boolean>;

/** The first failed step's reason, for summaries and signals; `named` prefixes the step's name. */
export function firstFailure(steps: readonly StepResult[], named = steps.length > 1): string | undefined {
  const step = steps.find((s) => !s.ok && !s.cleanup);
  if (!step) return undefined;
  if (step.error) return named ? `${step.name}: ${step.error}` : step.error;
  const a = step.assertions.find((x) => !x.ok);
  const reason = a ? `${a.assertion}: expected ${a.expected}, got ${a.actual}` : 'failed';
  return named ? `${step.name}: ${reason}` : reason;
}
