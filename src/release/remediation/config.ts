// Remediation as code (vigil.yaml `release.remediation`): per-service webhooks that roll back,
// scale, restart or toggle a flag, and the guardrails on running them without a human.
import { z } from 'zod';

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day HH:MM (UTC)');

export const remediationActionSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash, underscore'),
    service: z.string().trim().min(1).max(200),
    kind: z.enum(['rollback', 'scale', 'restart', 'flag']),
    url: z
      .string()
      .url()
      .refine((u) => /^https?:/.test(u), 'an http(s) URL'),
    method: z.enum(['POST', 'PUT', 'PATCH']).default('POST'),
    headers: z.record(z.string(), z.string()).default({}),
    /** Run without approval when a deploy of the service fails validation (within the guardrails). */
    auto: z.boolean().default(false),
    /** Attempts after the first when the receiver fails or answers non-2xx. */
    retries: z.number().int().min(0).max(10).default(3),
    timeoutMs: z.number().int().positive().default(5_000),
  })
  .strict();

export const remediationSectionSchema = z
  .object({
    actions: z.array(remediationActionSchema).default([]),
    /** Automatic actions run only between these times of day (UTC, `from` < `to` or across midnight); unset = any time. */
    autoHours: z.object({ from: clock, to: clock }).strict().optional(),
    /** After an action ran, the failing signal is checked again this much later: did it recover? */
    verifyAfterMs: z.number().int().positive().default(300_000),
    /** Delay before the first retry; doubles per attempt. */
    retryBackoffMs: z.number().int().nonnegative().default(1_000),
  })
  .strict()
  .superRefine((s, ctx) => {
    const seen = new Set<string>();
    s.actions.forEach((a, i) => {
      if (seen.has(a.name)) ctx.addIssue({ code: 'custom', path: ['actions', i, 'name'], message: `duplicate action name "${a.name}"` });
      seen.add(a.name);
    });
  });

export type RemediationAction = z.infer<typeof remediationActionSchema>;
export type RemediationConfig = z.infer<typeof remediationSectionSchema>;
