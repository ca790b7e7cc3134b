// Ingest limits and the `ingest:` section of vigil.yaml: body size, attributes per item, attribute
// value length and items per request, enforced by the receivers with errors that name the limit.
import { z } from 'zod';

export interface IngestLimits {
  maxBodyBytes: number;
  maxAttributesPerItem: number;
  maxAttributeValueLength: number;
  maxItemsPerRequest: number;
}

export const ingestConfigSchema = z
  .object({
    /** Largest request body, compressed and after decompression (OTLP/HTTP and gRPC messages). */
    maxBodyBytes: z.number().int().min(1024).default(16 * 1024 * 1024),
    maxAttributesPerItem: z.number().int().min(1).default(128),
    maxAttributeValueLength: z.number().int().min(16).default(16 * 1024),
    maxItemsPerRequest: z.number().int().min(1).default(100_000),
  })
  .strict();

export type IngestConfig = z.output<typeof ingestConfigSchema>;

export const defaultIngestLimits: Readonly<IngestLimits> = Object.freeze(ingestConfigSchema.parse({}));
