// The `reports:` section of vigil.yaml: the weekly reliability report posted to a notification
// channel (which channel, the day and hour, in which zone). Validated once at start-up.
import { z } from 'zod';

const days = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;

const validZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

export const weeklyReportSchema = z
  .object({
    /** A channel of notify.channels. */
    channel: z.string().min(1),
    day: z.enum(days).default('monday'),
    hour: z.number().int().min(0).max(23).default(9),
    /** IANA zone of `day` and `hour` (Europe/Berlin); UTC by default. */
    timezone: z.string().refine(validZone, 'timezone must be an IANA zone such as "Europe/Berlin" or "UTC"').default('UTC'),
  })
  .strict();

export const reportsConfigSchema = z.object({ weekly: weeklyReportSchema.optional() }).strict();

export type WeeklySchedule = z.output<typeof weeklyReportSchema>;
export type ReportsConfig = z.output<typeof reportsConfigSchema>;
