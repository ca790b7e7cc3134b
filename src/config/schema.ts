// The schema of vigil.yaml for the parts the server owns. Sections owned by other modules
// (ingest, detect, incidents, notify) are composed in load.ts from those modules' own schemas.
import { z } from 'zod';

export const serverSectionSchema = z
  .object({
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(8080),
    otlpHttpPort: z.number().int().min(0).max(65535).default(4318),
    otlpGrpcPort: z.number().int().min(0).max(65535).default(4317),
    /** Public base URL used in deep links of notifications. */
    publicUrl: z.string().url().optional(),
    clock: z.enum(['wall', 'event']).default('wall'),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** auto: human-readable lines when stdout is a terminal, JSON lines otherwise (files, journald, pipes). */
    logFormat: z.enum(['auto', 'text', 'json']).default('auto'),
    /** PEM files: when set, the API, OTLP/HTTP and OTLP/gRPC listeners serve TLS only. */
    tls: z
      .object({ cert: z.string().min(1), key: z.string().min(1) })
      .strict()
      .optional(),
    /** How long a client may take to send a request; slower or stalled ones are disconnected. */
    timeouts: z
      .object({
        /** The request line and headers (HTTP), and the TLS handshake. */
        headersMs: z.number().int().positive().default(10_000),
        /** A whole request, body included (HTTP); on gRPC, the grace an aged connection gets. */
        requestMs: z.number().int().positive().default(30_000),
        /** Silence while a request is still being received (a stalled body). */
        bodyIdleMs: z.number().int().positive().default(5_000),
        /** A gRPC connection without calls is closed after this. */
        grpcIdleMs: z.number().int().positive().default(300_000),
      })
      .strict()
      .refine((t) => t.headersMs <= t.requestMs, { message: 'headersMs must not exceed requestMs', path: ['headersMs'] })
      .prefault({}),
  })
  .strict();

export const storageSectionSchema = z
  .object({
    dataDir: z.string().default('./vigil-data'),
    clickhouseUrl: z.string().url().optional(),
    database: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
      .default('vigil'),
    retention: z
      .object({
        spansDays: z.number().positive().default(7),
        logsDays: z.number().positive().default(7),
        metricsDays: z.number().positive().default(30),
        rollupDays: z.number().positive().default(90),
      })
      .strict()
      .default({ spansDays: 7, logsDays: 7, metricsDays: 30, rollupDays: 90 }),
    /** Rows acknowledged (in the write-ahead log) but not yet inserted before ingest answers 429. */
    maxQueuedRows: z.number().int().positive().default(200_000),
    /** Bytes of those rows (held in memory until inserted) before ingest answers 429. */
    maxQueuedBytes: z
      .number()
      .int()
      .positive()
      .default(256 * 2 ** 20),
    /** Rows per insert from the write-ahead log into the store. */
    maxRowsPerFlush: z.number().int().positive().default(25_000),
    /**
     * fsync each write-ahead-log append before acknowledging it. Off: an acknowledged batch survives
     * a process crash (kill -9), like the store's own parts, which are not fsynced either; on: a
     * machine crash too, at one disk flush per group commit.
     */
    walFsync: z.boolean().default(false),
  })
  .strict();

export const authSectionSchema = z
  .object({
    /** Admin key; normally given by the VIGIL_API_KEY environment variable instead. */
    adminKey: z.string().min(16).optional(),
  })
  .strict();

/** A service name in an edge, with an error that says which end is wrong. */
const serviceName = (what: string): z.ZodString =>
  z
    .string({ error: (issue) => (issue.input === undefined ? `missing: name ${what}` : `must be the name of ${what}, as text`) })
    .trim()
    .min(1, `empty: name ${what}`);

/**
 * Who calls whom, declared (`topology:`): for systems Vigil knows only from metrics, whose
 * dependency graph it cannot learn from traces. The edges are added to the learned graph (a
 * declared edge never hides a learned one) and read by incident correlation and the root-cause
 * ranking alike (src/rca/graph/mergedGraph.ts).
 */
const declaredEdgeSchema = z
  .object({
    /** The caller. */
    from: serviceName('the calling service'),
    /** The service, database or dependency it calls. */
    to: serviceName('the called service'),
    /**
     * What `to` is when it is not an instrumented service: a dependency seen only through its
     * callers' calls (an address or balancer, a third-party API, a database, cache or queue).
     */
    kind: z
      .enum(['service', 'database', 'cache', 'messaging', 'external'], { error: 'must be one of service, database, cache, messaging, external' })
      .optional(),
  })
  .strict()
  .refine((e) => e.from !== e.to, { message: 'an edge joins two different services (from calls to)', path: ['to'] });

export const topologySectionSchema = z
  .object({
    /** Caller → callee edges: `- { from: frontend, to: checkout }`. */
    edges: z.array(declaredEdgeSchema).default([]),
  })
  .strict();
