// Validation of a saved miner snapshot read back from disk or the store: state files outlive the
// code that wrote them, so a damaged or foreign file is rejected with a reason instead of
// corrupting the miner.
import { z } from 'zod';
import type { TemplateMinerSnapshot } from './templateMiner.js';

const templateSchema = z
  .object({
    id: z.string().min(1),
    tokens: z.array(z.string()),
    spaceBefore: z.array(z.boolean()),
    count: z.number().int().nonnegative(),
    lastSeen: z.number().int().nonnegative(),
    born: z.number().int().nonnegative(),
  })
  .refine((t) => t.tokens.length === t.spaceBefore.length, 'tokens and spaceBefore differ in length');

const snapshotSchema = z.object({
  version: z.literal(1),
  sequence: z.number().int().nonnegative(),
  templates: z.array(templateSchema),
  aliases: z.array(z.tuple([z.string(), z.string()])),
});

/** Parses untrusted JSON into a snapshot for restoreTemplateMiner; throws with every problem found. */
export function parseTemplateMinerSnapshot(json: unknown): TemplateMinerSnapshot {
  const result = snapshotSchema.safeParse(json);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`invalid template miner snapshot: ${problems.join('; ')}`);
  }
  return result.data;
}
