// Vigil's configuration: vigil.yaml validated against one composed schema, overridden by the
// environment and command-line flags, frozen, and passed down. Only this module reads process.env.
import { z } from 'zod';
import { authSectionSchema, serverSectionSchema, storageSectionSchema, topologySectionSchema } from './schema.js';
import { loadConfig, type ConfigSource } from './load.js';
import { ingestConfigSchema } from '../ingest/limits.js';
import { detectionConfigSchema } from '../detect/config.js';
import { incidentConfigSchema } from '../incidents/config.js';
import { notifyConfigSchema } from '../notify/config.js';
import { redactionConfigSchema } from '../redact/config.js';
import { checksConfigSchema } from '../synthetics/config.js';
import { slosConfigSchema } from '../slo/config.js';
import { statusConfigSchema } from '../status/config.js';
import { rulesConfigSchema } from '../rules/config.js';
import { releaseSectionSchema } from '../release/config.js';
import { kpisConfigSchema } from '../kpi/config.js';
import { reportsConfigSchema } from '../reports/config.js';

// Sections owned by other modules are validated by their own schemas, so a typo anywhere in
// vigil.yaml is reported with its file, line and key at start-up rather than ignored.

export const vigilConfigSchema = z
  .object({
    server: serverSectionSchema.default(serverSectionSchema.parse({})),
    storage: storageSectionSchema.default(storageSectionSchema.parse({})),
    auth: authSectionSchema.default({}),
    ingest: ingestConfigSchema.prefault({}),
    detect: detectionConfigSchema.prefault({}),
    incidents: incidentConfigSchema.prefault({}),
    notify: notifyConfigSchema.prefault({}),
    redaction: redactionConfigSchema.prefault({}),
    checks: checksConfigSchema.prefault({}),
    slos: slosConfigSchema.prefault([]),
    status: statusConfigSchema.prefault({}),
    rules: rulesConfigSchema.prefault([]),
    release: releaseSectionSchema.prefault({}),
    kpis: kpisConfigSchema.prefault([]),
    reports: reportsConfigSchema.prefault({}),
    topology: topologySectionSchema.prefault({}),
  })
  .strict();

export type VigilConfig = z.output<typeof vigilConfigSchema>;

export interface StartFlags {
  config?: string;
  data?: string;
  port?: number;
  otlpPort?: number;
  otlpGrpcPort?: number;
  host?: string;
  clickhouseUrl?: string;
  clock?: 'wall' | 'event';
  logLevel?: string;
  /** auto (text on a terminal, JSON otherwise), text or json. */
  logFormat?: 'auto' | 'text' | 'json';
  tlsCert?: string;
  tlsKey?: string;
  /** A directory of synthetic check files. */
  checks?: string;
}

/** Builds the config from vigil.yaml (--config or ./vigil.yaml), the environment and flags. */
export function resolveConfig(flags: StartFlags, env: NodeJS.ProcessEnv = process.env): Readonly<VigilConfig> {
  const server: Record<string, unknown> = {};
  const storage: Record<string, unknown> = {};
  const auth: Record<string, unknown> = {};
  if (env.VIGIL_API_KEY) auth.adminKey = env.VIGIL_API_KEY;
  if (env.VIGIL_CLICKHOUSE_URL) storage.clickhouseUrl = env.VIGIL_CLICKHOUSE_URL;
  if (flags.data !== undefined) storage.dataDir = flags.data;
  if (flags.clickhouseUrl !== undefined) storage.clickhouseUrl = flags.clickhouseUrl;
  if (flags.port !== undefined) server.port = flags.port;
  if (flags.otlpPort !== undefined) server.otlpHttpPort = flags.otlpPort;
  if (flags.otlpGrpcPort !== undefined) server.otlpGrpcPort = flags.otlpGrpcPort;
  if (flags.host !== undefined) server.host = flags.host;
  if (flags.clock !== undefined) server.clock = flags.clock;
  if (flags.logLevel !== undefined) server.logLevel = flags.logLevel;
  if (flags.logFormat !== undefined) server.logFormat = flags.logFormat;
  const checks: Record<string, unknown> = {};
  if (flags.checks !== undefined) checks.dir = flags.checks;
  if (flags.tlsCert !== undefined || flags.tlsKey !== undefined) server.tls = { cert: flags.tlsCert, key: flags.tlsKey };
  const source: ConfigSource = {
    file: flags.config ?? env.VIGIL_CONFIG,
    fileRequired: Boolean(flags.config ?? env.VIGIL_CONFIG),
    overrides: { server, storage, auth, checks },
    env,
  };
  return loadConfig(vigilConfigSchema, source);
}

export { ConfigError, type ConfigProblem } from './errors.js';
export { closestName } from './unknown-keys.js';

/** The environment, handed out from here only: check files take their secrets from it (${VAR}). */
export const processEnvironment = (): NodeJS.ProcessEnv => process.env;
export { loadConfig, lineOf } from './load.js';

export interface ClientConfig {
  url: string;
  apiKey: string | undefined;
  /** Who the CLI acts as on incident actions: the login name. */
  actor: string;
}

/** Where CLI commands that talk to a running Vigil send requests: --url/--key, else VIGIL_URL/VIGIL_API_KEY. */
export function resolveClientConfig(flags: { url?: string; key?: string }, env: NodeJS.ProcessEnv = process.env): ClientConfig {
  return {
    url: (flags.url ?? env.VIGIL_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, ''),
    apiKey: flags.key ?? env.VIGIL_API_KEY,
    actor: env.USER ?? env.LOGNAME ?? 'cli',
  };
}
