// The `checks:` section of vigil.yaml: where the check files are and how hard they may run.
import { z } from 'zod';

export const checksConfigSchema = z
  .object({
    /** A directory of *.yaml check files and *.journey.ts browser journeys (also `vigil start --checks DIR`); none: no synthetic checks. */
    dir: z.string().min(1).optional(),
    /** Runs in flight at most, across all checks. */
    concurrency: z.number().int().min(1).max(256).default(16),
    /** The Chromium binary for browser checks (Debian's package by default). */
    chromiumPath: z.string().min(1).default('/usr/bin/chromium'),
  })
  .strict();

export type ChecksConfig = z.output<typeof checksConfigSchema>;
