// Runs one check once: a fresh trace, a deadline from its timeout, its kind's runner, and a result
// that never throws (a runner's crash is a failed run with the reason) and holds no secret.
import { randomBytes } from 'node:crypto';
import type { RunContext } from './kinds/context.js';
import { runners } from './kinds/registry.js';
import { syntheticTraceMark } from '../model/index.js';
import { redactRun } from './redact.js';
import { firstFailure, type RunResult } from './result.js';
import type { CheckDefinition } from './schema.js';

export interface RunOptions {
  /** The values read into the check from the environment, by name: written back as `${NAME}` in the result. */
  secrets?: Readonly<Record<string, string>>;
  now?: () => number;
  heartbeat?: RunContext['heartbeat'];
  artifactsDir?: string;
  chromiumPath?: string;
}

export const defaultChromiumPath = '/usr/bin/chromium';
const hex = (bytes: number): string => randomBytes(bytes).toString('hex');
/** A run's trace id carries the synthetic mark (model/synthetic-trace.ts) before 12 random bytes. */
export const newSyntheticTraceId = (): string => syntheticTraceMark + hex(12);

export async function runCheck(check: CheckDefinition, o: RunOptions = {}): Promise<RunResult & { rootSpanId: string }> {
  const now = o.now ?? Date.now;
  const atMs = now();
  const ctx: RunContext = {
    traceId: newSyntheticTraceId(),
    newSpanId: () => hex(8),
    deadlineMs: atMs + check.timeout,
    now,
    heartbeat: o.heartbeat ?? (() => ({ watchedSinceMs: atMs })),
    artifactsDir: o.artifactsDir,
    chromiumPath: o.chromiumPath ?? defaultChromiumPath,
  };
  const runner = runners[check.kind] as (c: CheckDefinition, ctx: RunContext) => ReturnType<(typeof runners)['http']>;
  let outcome;
  try {
    outcome = await runner(check, ctx);
  } catch (err) {
    outcome = {
      steps: [{ name: check.kind, ok: false, durationMs: now() - atMs, error: `the ${check.kind} runner failed: ${(err as Error).message}`, assertions: [] }],
      details: {},
    };
  }
  const ok = outcome.steps.length > 0 && outcome.steps.every((s) => s.ok);
  const sendsTraffic = check.kind === 'http' || check.kind === 'journey' || check.kind === 'browser';
  const secrets = { ...o.secrets, ...('script' in check ? check.script.secrets : {}) };
  return redactRun(
    {
      name: check.name,
      kind: check.kind,
      atMs,
      ok,
      durationMs: now() - atMs,
      // Steps of journeys and browser checks are the user's own: name them in the reason.
      error: ok ? undefined : (firstFailure(outcome.steps, check.kind === 'journey' || check.kind === 'browser') ?? 'failed'),
      ...(sendsTraffic ? { traceId: ctx.traceId } : {}),
      steps: outcome.steps,
      details: outcome.details,
      rootSpanId: ctx.newSpanId(),
    },
    secrets,
  );
}
