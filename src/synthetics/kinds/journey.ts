// The journey kind: HTTP steps in order, each able to extract values (JSONPath) for the steps
// after it; after a failure the remaining steps are skipped except clean-up steps (`always`),
// which run so a journey that created something also deletes it.
import { valueAt } from '../jsonpath.js';
import type { StepResult } from '../result.js';
import type { JourneyCheck } from '../schema.js';
import type { CheckRunner } from './context.js';
import { runHttpRequest } from './http-request.js';

export const runJourneyCheck: CheckRunner<JourneyCheck> = async (check, ctx) => {
  const vars = new Map<string, string>();
  const steps: StepResult[] = [];
  let failed = false;
  for (const spec of check.steps) {
    if (failed && !spec.always) continue;
    if (!failed && ctx.now() >= ctx.deadlineMs) {
      steps.push({ name: spec.name, ok: false, durationMs: 0, error: 'timed out before this step', assertions: [] });
      failed = true;
      continue;
    }
    const { step, json } = await runHttpRequest(spec.name, spec, ctx, vars);
    if (step.ok) {
      for (const [variable, path] of Object.entries(spec.extract ?? {})) {
        const v = valueAt(json, path);
        if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
          step.ok = false;
          step.assertions.push({
            assertion: `extract ${variable}`,
            ok: false,
            expected: `a value at ${path}`,
            actual: v === undefined ? 'nothing' : JSON.stringify(v).slice(0, 100),
          });
        } else vars.set(variable, String(v));
      }
    }
    if (failed) step.cleanup = true;
    steps.push(step);
    if (!step.ok) failed = true;
  }
  return { steps, details: { steps: check.steps.length, ran: steps.length } };
};
