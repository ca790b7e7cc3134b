// Answers of the change and release routes: a recorded change, a deployment with its release
// verdict, the canary judge's verdict, and remediation actions and runs.
import { z } from 'zod';
import type { CanaryJudgement, RemediationRun } from '../../release/index.js';
import { attributesSchema, isoTime, type Documents } from './common.js';
import { confidenceSchema } from './assurance.js';

export const changeSchema = z
  .object({
    id: z.string(),
    service: z.string(),
    kind: z.enum(['deploy', 'config', 'flag', 'infra']),
    time: isoTime,
    version: z.string().nullable(),
    previousVersion: z.string().nullable(),
    environment: z.string().nullable(),
    commit: z.string().nullable(),
    description: z.string(),
    source: z.enum(['api', 'cli', 'webhook', 'inferred']),
    attributes: attributesSchema,
  })
  .meta({ id: 'Change' });
export type ChangeView = z.output<typeof changeSchema>;
export const changeListSchema = z.object({ changes: z.array(changeSchema) });

export const verdictSchema = z.object({
  status: z.enum(['watching', 'pass', 'fail', 'inconclusive']),
  decidedAt: isoTime.optional(),
  summary: z.string(),
  evidence: z.array(
    z.object({
      signal: z.string().describe('error-rate, latency, throughput-share, saturation, smoke, new-exception or new-log-template'),
      route: z.string().optional(),
      baseline: z.number(),
      candidate: z.number(),
      change: z.number().describe('relative change (0.48 = +48%) for rates and percentiles; a count for new things'),
      confidence: z.number().describe('0..1'),
      unit: z.enum(['ratio', 'ms', 'share', 'count']),
      failing: z.boolean(),
      summary: z.string(),
    }),
  ),
});

/** A deployment: the recorded change (version always a string) plus its verdict. */
export const deploymentSchema = changeSchema
  .extend({
    version: z.string(),
    previousVersion: z.string().optional().describe('the version it replaced; absent when unknown'),
    verdict: verdictSchema,
    comparison: z.enum(['canary', 'baseline']).optional().describe('canary: both versions serve at once; baseline: against the version before'),
    watchUntil: isoTime.optional(),
    baseline: z
      .object({
        kind: z.enum(['same-time-of-day', 'hour-before']),
        days: z.number().int().optional(),
        description: z.string(),
        lookingUp: z.boolean().optional(),
      })
      .optional()
      .describe('what the new version is compared against when the versions do not serve side by side'),
    smoke: z
      .array(
        z.object({
          check: z.string(),
          status: z.enum(['pending', 'pass', 'fail']),
          runs: z.array(
            z.object({
              at: isoTime,
              ok: z.boolean(),
              durationMs: z.number(),
              traceId: z.string().optional(),
              error: z.string().optional(),
            }),
          ),
        }),
      )
      .optional()
      .describe('the smoke checks the deploy triggered and their runs'),
    confidence: confidenceSchema.optional(),
  })
  .meta({ id: 'Deployment' });
export type DeploymentAnswer = z.output<typeof deploymentSchema>;
export const deploymentListSchema = z.object({ deployments: z.array(deploymentSchema) });
export const deploymentDetailSchema = deploymentSchema.extend({
  report: z.string().describe('the release report (Markdown)'),
});

export const canaryJudgementSchema = z
  .object({
    verdict: z.enum(['pass', 'fail', 'inconclusive']),
    score: z.number().describe('0-100, higher is healthier'),
    reasons: z.array(z.string()),
    canaryRequests: z.number(),
    baselineRequests: z.number(),
    evidence: verdictSchema.shape.evidence,
    routes: z
      .array(
        z.object({
          route: z.string(),
          verdict: z.enum(['pass', 'fail', 'inconclusive']),
          score: z.number(),
          canaryRequests: z.number(),
          baselineRequests: z.number(),
          reasons: z.array(z.string()),
        }),
      )
      .optional()
      .describe('each route judged on its own, worst first'),
    worstRoute: z.string().optional(),
  })
  .meta({ id: 'CanaryJudgement' });
export type CanaryJudgementAnswer = z.output<typeof canaryJudgementSchema>;

export const remediationRunSchema = z
  .object({
    id: z.string(),
    action: z.string(),
    kind: z.enum(['rollback', 'scale', 'restart', 'flag']),
    service: z.string(),
    deploymentId: z.string().optional(),
    incidentId: z.string().optional(),
    trigger: z.enum(['automatic', 'approval']),
    actor: z.string(),
    startedAtMs: z.number().describe('epoch milliseconds'),
    attempts: z.number().int(),
    outcome: z.enum(['running', 'succeeded', 'failed']),
    lastResult: z.string().describe("the receiver's last HTTP status, or the transport error"),
    verification: z.enum(['recovered', 'not-recovered']).optional(),
  })
  .meta({ id: 'RemediationRun' });
export const remediationsSchema = z.object({
  actions: z.array(
    z.object({
      id: z.string().optional().describe('the action to run on approval: POST /api/v1/incidents/ID/remediations/{id}/run'),
      name: z.string(),
      service: z.string(),
      kind: z.enum(['rollback', 'scale', 'restart', 'flag']),
      auto: z.boolean(),
      besideRootCause: z.object({ service: z.string(), kind: z.string(), score: z.number() }).optional(),
      run: z.object({ method: z.literal('POST'), path: z.string() }).optional(),
    }),
  ),
  runs: z.array(remediationRunSchema),
});

// Domain records the routes pass through unchanged: their fields are documented exactly.
export type RemediationRunDocumented = Documents<typeof remediationRunSchema, RemediationRun>;
export type CanaryJudgementDocumented = Documents<typeof canaryJudgementSchema, CanaryJudgement>;
