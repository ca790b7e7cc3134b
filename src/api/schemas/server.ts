// Answers about the server itself: health (readiness, the engine clock, why it is degraded) and
// who the caller is (the web UI asks after login).
import { z } from 'zod';
import { isoTime } from './common.js';

export const healthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    reasons: z.array(z.string()).optional().describe('why it is degraded'),
    clock: z.enum(['wall', 'event']),
    watermark: isoTime.nullable().describe('event time up to which every accepted OTLP request has been processed'),
    watermarkMs: z.number(),
  })
  .catchall(z.unknown())
  .describe('plus sections about the running server (ingestQueue, pipeline, memory, notifications)');

export const sessionSchema = z.object({
  name: z.string().describe('the name of the key the caller holds'),
  scopes: z.array(z.enum(['ingest', 'read', 'write', 'admin'])),
  via: z.enum(['bearer', 'session']),
});
