// The check file format (checks as code, one YAML file per team or service): `checks: [...]`, each
// check one kind (http, journey, tls, tcp, dns, heartbeat, browser). Validated once at load; the
// runners receive plain typed values. Durations accept 500ms, 10s, 5m.
import { z } from 'zod';
import { parseDuration } from './duration.js';
import type { JourneyHelpers } from './journeys/api.js';

const duration = (min: number, max: number) =>
  z.string().transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration: write 500ms, 10s, 5m or 1h` });
      return z.NEVER;
    }
    if (ms < min || ms > max) {
      ctx.addIssue({ code: 'custom', message: `must be between ${min} ms and ${max / 60_000} min` });
      return z.NEVER;
    }
    return ms;
  });

const name = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[\w .:/@-]+$/, 'letters, digits, spaces and . _ : / @ - only');
const headers = z.record(z.string().min(1).max(200), z.string().max(8_192));

/** What an HTTP answer must satisfy; every assertion is checked and reported, not just the first. */
const assertions = z
  .object({
    status: z.union([z.number().int().min(100).max(599), z.array(z.number().int().min(100).max(599)).min(1)]).optional(),
    maxLatencyMs: z.number().positive().optional(),
    bodyContains: z.union([z.string().min(1), z.array(z.string().min(1))]).optional(),
    bodyNotContains: z.union([z.string().min(1), z.array(z.string().min(1))]).optional(),
    headers: z.record(z.string().min(1), z.string()).optional(),
    json: z.record(z.string().regex(/^\$/, 'a JSON path starts with $ (e.g. $.status)'), z.unknown()).optional(),
  })
  .strict();

/** Sets the Authorization header: `{bearer: TOKEN}` or `{basic: {username, password}}` (values may be `${VAR}` or `{{var}}`). */
const auth = z.union([
  z.object({ bearer: z.string().min(1) }).strict(),
  z.object({ basic: z.object({ username: z.string().min(1), password: z.string() }).strict() }).strict(),
]);

const httpRequest = {
  url: z.string().min(1),
  method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']).default('GET'),
  headers: headers.optional(),
  auth: auth.optional(),
  body: z.union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())]).optional(),
  followRedirects: z.boolean().default(true),
  assert: assertions.default({ status: [200, 201, 202, 204] }),
};

/** The fields every check has (also the definition a TypeScript browser journey exports). */
export const commonCheckFields = {
  name,
  /** The service whose incident a failure opens or joins. */
  service: z.string().min(1).max(200).optional(),
  /** A failing critical check is at least a high-severity incident. */
  critical: z.boolean().default(false),
  every: duration(1_000, 24 * 3_600_000).default(60_000),
  timeout: duration(100, 300_000).default(10_000),
  /** Consecutive failed runs before the check counts as failing (a blip is retried, not paged). */
  confirm: z.number().int().min(1).max(10).default(2),
  /** Run right after a deployment of `service` (a smoke check). */
  smoke: z.boolean().default(false),
  tags: z.array(z.string().max(100)).max(20).optional(),
};

const step = z
  .object({
    name: z.string().min(1).max(200),
    ...httpRequest,
    /** Values taken from this step's JSON answer for later steps: `{token: "$.session.token"}`. */
    extract: z.record(z.string().regex(/^[A-Za-z_]\w*$/, 'a variable name'), z.string().regex(/^\$/, 'a JSON path starting with $')).optional(),
    /** Runs even when an earlier step failed (clean-up). */
    always: z.boolean().default(false),
  })
  .strict();

const browserStep = z.union([
  z.object({ goto: z.string().min(1) }).strict(),
  z.object({ click: z.string().min(1) }).strict(),
  z.object({ fill: z.string().min(1), value: z.string() }).strict(),
  z.object({ waitFor: z.string().min(1) }).strict(),
  z.object({ expectText: z.string().min(1), in: z.string().optional() }).strict(),
]);

export const viewportSchema = z.object({ width: z.number().int().positive().max(8192), height: z.number().int().positive().max(8192) });

export const checkSchema = z.discriminatedUnion('kind', [
  z.object({ ...commonCheckFields, kind: z.literal('http'), ...httpRequest }).strict(),
  z.object({ ...commonCheckFields, kind: z.literal('journey'), steps: z.array(step).min(1).max(50) }).strict(),
  z
    .object({
      ...commonCheckFields,
      kind: z.literal('tls'),
      host: z.string().min(1),
      port: z.number().int().min(1).max(65535).default(443),
      /** Fail when the certificate expires within this many days. */
      minDaysValid: z.number().int().min(0).max(3650).default(14),
      /** Trust these PEM CA certificates (a file path) in addition to the system's. */
      ca: z.string().optional(),
    })
    .strict(),
  z.object({ ...commonCheckFields, kind: z.literal('tcp'), host: z.string().min(1), port: z.number().int().min(1).max(65535) }).strict(),
  z
    .object({
      ...commonCheckFields,
      kind: z.literal('dns'),
      hostname: z.string().min(1),
      recordType: z.enum(['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS', 'SRV']).default('A'),
      /** Fail unless the answer includes each of these. */
      expect: z.array(z.string()).optional(),
      server: z.string().optional(),
    })
    .strict(),
  z
    .object({
      ...commonCheckFields,
      kind: z.literal('heartbeat'),
      /** Silence longer than this is a failure (jobs ping POST /api/v1/checks/NAME/ping). */
      grace: duration(1_000, 7 * 86_400_000).default(300_000),
    })
    .strict(),
  z.object({ ...commonCheckFields, kind: z.literal('browser'), steps: z.array(browserStep).min(1).max(100), viewport: viewportSchema.optional() }).strict(),
]);

const hasAuthorizationHeader = (h: Record<string, string> | undefined): boolean => Object.keys(h ?? {}).some((k) => k.toLowerCase() === 'authorization');

export const checkFileSchema = z
  .object({ checks: z.array(checkSchema).max(1000) })
  .strict()
  .superRefine((file, ctx) => {
    // Two sources for one header would leave the reader guessing which is sent.
    const both = 'both auth and an authorization header: keep one';
    file.checks.forEach((c, i) => {
      if (c.kind === 'http' && c.auth && hasAuthorizationHeader(c.headers)) ctx.addIssue({ code: 'custom', path: ['checks', i, 'auth'], message: both });
      if (c.kind === 'journey')
        c.steps.forEach((st, j) => {
          if (st.auth && hasAuthorizationHeader(st.headers)) ctx.addIssue({ code: 'custom', path: ['checks', i, 'steps', j, 'auth'], message: both });
        });
    });
  });

/** A check written in YAML. */
export type YamlCheck = z.output<typeof checkSchema>;

/** A browser journey written in TypeScript (or JavaScript): its definition plus the loaded script. */
export type ScriptedBrowserCheck = z.output<z.ZodObject<typeof commonCheckFields>> & {
  kind: 'browser';
  viewport?: { width: number; height: number };
  script: JourneyScript;
};

export interface JourneyScript {
  /** Where it was loaded from, for messages (relative to the working directory). */
  file: string;
  /** The journey's body: receives the typed helpers (see journeys/api.ts). */
  run(helpers: JourneyHelpers<string>): Promise<void>;
  /** The secrets it declared, read from the environment at load. */
  secrets: Readonly<Record<string, string>>;
}

export type CheckDefinition = YamlCheck | ScriptedBrowserCheck;
export type CheckKind = CheckDefinition['kind'];
export type HttpCheck = Extract<CheckDefinition, { kind: 'http' }>;
export type JourneyCheck = Extract<CheckDefinition, { kind: 'journey' }>;
export type JourneyStep = JourneyCheck['steps'][number];
export type Assertions = z.output<typeof assertions>;
export type TlsCheck = Extract<CheckDefinition, { kind: 'tls' }>;
export type TcpCheck = Extract<CheckDefinition, { kind: 'tcp' }>;
export type DnsCheck = Extract<CheckDefinition, { kind: 'dns' }>;
export type HeartbeatCheck = Extract<CheckDefinition, { kind: 'heartbeat' }>;
export type BrowserCheck = Extract<YamlCheck, { kind: 'browser' }>;
