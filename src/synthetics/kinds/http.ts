// The http kind: one request and its assertions.
import type { RunDetails } from '../result.js';
import type { HttpCheck } from '../schema.js';
import type { CheckRunner } from './context.js';
import { runHttpRequest } from './http-request.js';

export const runHttpCheck: CheckRunner<HttpCheck> = async (check, ctx) => {
  const { step } = await runHttpRequest(`${check.method} ${check.url}`, check, ctx, new Map());
  const details: RunDetails = {};
  if (step.status !== undefined) details.status = step.status;
  return { steps: [step], details };
};
