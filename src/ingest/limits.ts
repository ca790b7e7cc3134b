// Ingest limits and the `ingest:` section of vigil.yaml: everything one request can make Vigil
// store or copy (sizes, counts, names, nesting, resource copies per row), so a small request can
// never turn into a huge write-ahead log. The receivers name the limit (`ingest.…`) they enforce.
import { z } from 'zod';

export interface IngestLimits {
  maxBodyBytes: number;
  maxAttributesPerItem: number;
  maxAttributeValueLength: number;
  maxAttributeKeyLength: number;
  maxItemsPerRequest: number;
  maxResourceAttributes: number;
  maxResourceAttributeValueLength: number;
  maxNameLength: number;
  maxEventsPerSpan: number;
  maxLinksPerSpan: number;
  maxAnyValueDepth: number;
  maxAnyValueElements: number;
  maxAmplification: number;
  maxInFlightBytes: number;
}

export const ingestConfigSchema = z
  .object({
    /** Largest request body, compressed and after decompression (OTLP/HTTP and gRPC messages). */
    maxBodyBytes: z
      .number()
      .int()
      .min(1024)
      .default(16 * 1024 * 1024),
    maxAttributesPerItem: z.number().int().min(1).default(128),
    maxAttributeValueLength: z
      .number()
      .int()
      .min(16)
      .default(16 * 1024),
    maxAttributeKeyLength: z.number().int().min(16).default(256),
    maxItemsPerRequest: z.number().int().min(1).default(100_000),
    /** Resource attributes are copied into every row: beyond these they are truncated (with a warning). */
    maxResourceAttributes: z.number().int().min(4).default(128),
    maxResourceAttributeValueLength: z.number().int().min(64).default(4096),
    /** Span, event and metric names (longer: item rejected); scope names (longer: truncated). */
    maxNameLength: z.number().int().min(16).default(1024),
    maxEventsPerSpan: z.number().int().min(0).default(256),
    maxLinksPerSpan: z.number().int().min(0).default(128),
    /** Nested arrays/kvlists in one AnyValue: deeper is a malformed request (400). */
    maxAnyValueDepth: z.number().int().min(1).max(1000).default(64),
    /** Elements (all levels) of one attribute value or log body; more rejects its item. */
    maxAnyValueElements: z.number().int().min(1).default(10_000),
    /** Bytes of resource attributes and scope names copied into rows, as a multiple of the body. */
    maxAmplification: z.number().min(1).default(8),
    /**
     * Request bytes (after decompression) read and decoded at once over both receivers; past it
     * 429 / RESOURCE_EXHAUSTED with Retry-After. Decoding holds several times a body's size, so
     * this, not the number of clients, bounds ingest's memory: 64 MiB is four full-size bodies or
     * hundreds of ordinary exporter batches.
     */
    maxInFlightBytes: z
      .number()
      .int()
      .min(1024 * 1024)
      .default(64 * 1024 * 1024),
  })
  .strict();

export type IngestConfig = z.output<typeof ingestConfigSchema>;

export const defaultIngestLimits: Readonly<IngestLimits> = Object.freeze(ingestConfigSchema.parse({}));
