// Runs a TypeScript browser journey in a browser session: gives it its typed helpers, records each
// `step` (duration, outcome, assertions, and the journey's file:line where it failed), enforces the
// run's timeout even on code that never yields to Playwright, and reports like the YAML kind.
import { basename } from 'node:path';
import { inBrowserSession } from '../kinds/browser-session.js';
import { remainingMs, type RunContext, type RunOutcome } from '../kinds/context.js';
import type { AssertionResult, StepResult } from '../result.js';
import type { ScriptedBrowserCheck } from '../schema.js';
import type { JourneyHelpers } from './api.js';
import { createExpect, JourneyAssertionError } from './expect.js';

class JourneyTimeout extends Error {}

/** Records steps as they end (so a failing inner step comes before the outer one it fails). */
class StepRecorder {
  readonly steps: StepResult[] = [];
  private readonly open: StepResult[] = [];
  /** Assertions and errors outside any step. */
  private readonly outside: StepResult;
  private readonly reported = new WeakSet<object>();

  constructor(
    private readonly ctx: RunContext,
    private readonly file: string,
  ) {
    this.outside = { name: 'journey', ok: true, durationMs: 0, assertions: [], startMs: ctx.now() };
  }

  get failed(): boolean {
    return this.steps.some((s) => !s.ok) || !this.outside.ok;
  }

  /** `name.journey.ts:LINE` of the first frame of the journey file in a stack. */
  locate = (stack: string | undefined): string | undefined => {
    const name = basename(this.file);
    const at = stack?.split('\n').find((l) => l.includes(name));
    const line = at && new RegExp(`${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:\\?[^:]*)?:(\\d+)`).exec(at)?.[1];
    return line ? `${name}:${line}` : undefined;
  };

  record = (a: AssertionResult): void => {
    (this.open.at(-1) ?? this.outside).assertions.push(a);
  };

  step = async <T>(name: string, body: () => Promise<T>, options?: { timeout?: number }): Promise<T> => {
    const parent = this.open.at(-1);
    const s: StepResult = { name: parent ? `${parent.name} › ${name}` : name, ok: true, durationMs: 0, assertions: [], startMs: this.ctx.now() };
    this.open.push(s);
    let timer: NodeJS.Timeout | undefined;
    try {
      const limit = options?.timeout;
      return await (limit
        ? Promise.race([
            body(),
            new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new JourneyTimeout(`the step timed out after ${limit} ms`)), limit))),
          ])
        : body());
    } catch (err) {
      this.fail(s, err);
      throw err;
    } finally {
      clearTimeout(timer);
      const i = this.open.indexOf(s);
      // Not open any more: the journey timed out and `finish` closed it already.
      if (i >= 0) {
        s.durationMs = this.ctx.now() - s.startMs!;
        this.open.splice(i, 1);
        this.steps.push(s);
      }
    }
  };

  /** The journey ended with an error: the steps still open (a timeout) fail, or the journey itself. */
  finish(err: unknown): void {
    for (const s of this.open.splice(0).reverse()) {
      this.fail(s, err);
      s.durationMs = this.ctx.now() - s.startMs!;
      this.steps.push(s);
    }
    if (!this.reported.has(err as object)) this.fail(this.outside, err);
  }

  /** The steps to report: at least one, so a journey with no `step` still reads as a run. */
  result(): StepResult[] {
    const outside = this.outside;
    if (!outside.ok || outside.assertions.length || !this.steps.length) {
      outside.durationMs = this.ctx.now() - outside.startMs!;
      return [...this.steps, outside];
    }
    return [...this.steps];
  }

  private fail(s: StepResult, err: unknown): void {
    s.ok = false;
    const reported = typeof err === 'object' && err !== null && this.reported.has(err);
    if (reported) return; // an inner step already carries the reason
    if (!(err instanceof JourneyAssertionError)) {
      const message = (err instanceof Error ? err.message : String(err)).split('\n')[0] || 'failed';
      const where = err instanceof Error ? this.locate(err.stack) : undefined;
      s.error = `${/Timeout \d+ms exceeded/.test(message) ? `timed out (${message})` : message}${where ? ` (${where})` : ''}`;
    }
    if (typeof err === 'object' && err !== null) this.reported.add(err);
  }
}

function secretsOf(declared: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  return new Proxy(Object.freeze({ ...declared }), {
    get(target, key) {
      if (typeof key === 'string' && !(key in target) && key !== 'then' && key !== 'toJSON')
        throw new Error(`the secret ${key} is not declared: add it to the journey's secrets`);
      return Reflect.get(target, key) as unknown;
    },
  });
}

export async function runScriptedJourney(check: ScriptedBrowserCheck, ctx: RunContext): Promise<RunOutcome> {
  return inBrowserSession(check, ctx, async ({ page, context }) => {
    const recorder = new StepRecorder(ctx, check.script.file);
    context.setDefaultTimeout(remainingMs(ctx));
    const helpers: JourneyHelpers = {
      page,
      context,
      step: recorder.step,
      expect: createExpect({ record: recorder.record, locate: recorder.locate, remainingMs: () => remainingMs(ctx) }),
      secrets: secretsOf(check.script.secrets),
      traceId: ctx.traceId,
    };
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>(
      (_, reject) => (timer = setTimeout(() => reject(new JourneyTimeout(`the journey timed out after ${check.timeout} ms`)), remainingMs(ctx))),
    );
    try {
      await Promise.race([check.script.run(helpers), deadline]);
    } catch (err) {
      recorder.finish(err);
    } finally {
      clearTimeout(timer);
    }
    return { steps: recorder.result(), failed: recorder.failed };
  });
}
