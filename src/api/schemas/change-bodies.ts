// Request bodies of POST /api/v1/deployments and /api/v1/changes: the routes validate with these and
// the typed client (src/client) takes its body types from them, so both ask for the same thing.
import { z } from 'zod';
import { timeSchema } from '../params.js';

const name = z.string().trim().min(1).max(200);
const text = z.string().max(10_000);
const attributes = z.record(z.string().max(200), z.string().max(2_000)).refine((a) => Object.keys(a).length <= 64, 'at most 64 attributes');

export const deploymentBodySchema = z
  .object({
    service: name,
    version: name,
    environment: z.string().max(200).optional(),
    commit: z.string().max(200).optional(),
    description: text.optional(),
    time: timeSchema.optional(),
    attributes: attributes.optional(),
  })
  .strict();

export const changeBodySchema = z
  .object({
    service: name,
    kind: z.enum(['config', 'flag', 'infra']),
    description: text,
    time: timeSchema.optional(),
    attributes: attributes.optional(),
    environment: z.string().max(200).optional(),
  })
  .strict();
