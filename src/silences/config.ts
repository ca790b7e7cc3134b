// The shape of a silence as POST /api/v1/silences takes it: validated at the boundary (every
// problem with its place), times as ISO-8601 or epoch ms, a length or an end.
import { z } from 'zod';

const durationText = /^(\d+)(m|h|d)$/;
const unitMs: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };
/** A silence is a temporary measure: longer than this is a configuration change, not a silence. */
export const maxSilenceMs = 90 * 86_400_000;

export function parseSilenceDuration(text: string): number | undefined {
  const m = durationText.exec(text.trim());
  return m ? Number(m[1]) * (unitMs[m[2] ?? ''] ?? Number.NaN) : undefined;
}

const time = z.union([z.string().min(1), z.number()]);

export const silenceInputSchema = z
  .object({
    service: z.string().trim().min(1).max(200).optional(),
    kind: z.string().trim().min(1).max(100).optional(),
    startsAt: time.optional(),
    endsAt: time.optional(),
    /** Instead of endsAt: `30m`, `2h`, `1d` from the start. */
    duration: z
      .string()
      .refine((d) => parseSilenceDuration(d) !== undefined, 'duration is minutes, hours or days such as "30m", "2h" or "1d"')
      .optional(),
    comment: z.string().trim().min(1, 'say why: a silence without a reason is a mystery to the next on-call').max(2_000),
    createdBy: z.string().trim().min(1).max(200).optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.service === undefined && s.kind === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['service'],
        message: 'a silence names a service, a signal kind or both; one matching everything would hide every incident',
      });
    if ((s.endsAt === undefined) === (s.duration === undefined))
      ctx.addIssue({
        code: 'custom',
        path: ['endsAt'],
        message: 'give either endsAt or duration (a silence always expires)',
      });
  });

export type SilenceInput = z.output<typeof silenceInputSchema>;

/** A silence request with its times resolved (the API edge parses them; absent start: now). */
export interface SilenceRequest {
  service?: string;
  kind?: string;
  startsAtMs?: number;
  /** Either an end or a length. */
  endsAtMs?: number;
  durationMs?: number;
  comment: string;
  createdBy?: string;
}
