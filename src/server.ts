// Wires the adapters to the core: the only module that knows them all. Ingest appends each batch
// to the write-ahead log (group commit; a background inserter moves it into the store), then feeds
// the pure engines; the clock (wall or event time) advances
// them; their decisions are persisted, enriched with context and root causes, and notified.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import Fastify from 'fastify';
import { buildApi } from './api/index.js';
import { AuditTrail, systemActor } from './audit/index.js';
import { KeyRing } from './auth/index.js';
import { processEnvironment, type VigilConfig } from './config/index.js';
import { Notifier } from './notify/index.js';
import {
  ConfidenceService,
  FollowUpService,
  IncidentService,
  kpiAroundReader,
  WeeklyReportPoster,
  Pipeline,
  RuleService,
  ReleaseService,
  SilenceService,
  SloService,
  StatusService,
  stakeholderChannels,
  withFollowUp,
} from './pipeline/index.js';

import { openRedactor, redactingSink } from './redact/index.js';
import {
  InFlightBytes,
  IngestOverloadedError,
  registerOtlpHttpRoutes,
  startOtlpGrpcServer,
  type IngestSink,
  type RunningOtlpGrpc,
  type TelemetryBatch,
} from './ingest/index.js';
import { createLogger, type Logger } from './logger.js';
import { defaultSessionOptions, registerUiRoutes, SessionStore, storedSessions, UiAssets } from './ui-server/index.js';
import {
  grpcConnectionOptions,
  httpServerFactory,
  listenerSettings,
  listenOrExplain,
  lockDataDir,
  storeStartupError,
  type DataDirLock,
  type ListenerSettings,
} from './server/index.js';
import { degradedReasons, SelfMetrics, type MemoryStatus, type OtlpSignalName } from './self-metrics/index.js';
import { SyntheticMonitor } from './synthetics/index.js';
import type { ChangeEvent } from './model/index.js';
import {
  applyRetention,
  ClickHouseContextQueries,
  migrate,
  openStore,
  QueueFullError,
  readEngineMemory,
  TelemetryWriter,
  type StoreClient,
  type StoredCheckRun,
} from './store/index.js';

export interface RunningVigil {
  apiUrl: string;
  otlpHttpUrl: string;
  otlpGrpcPort: number;
  generatedAdminKey?: string;
  store: StoreClient;
  pipeline: Pipeline;
  log: Logger;
  /** The same path as an OTLP request after decoding: durable write, then detection. */
  ingest(batch: TelemetryBatch): Promise<void>;
  /** Resolves once everything ingested so far is queryable in `store`. */
  sync(): Promise<void>;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Append logs to this file instead of stdout. */
  logFile?: string;
}

export async function startVigil(config: Readonly<VigilConfig>, options: StartOptions = {}): Promise<RunningVigil> {
  const log = createLogger(config.server.logLevel, options.logFile, config.server.logFormat);
  // Certificates are checked and the data directory taken before anything slow starts.
  const listeners = await listenerSettings(config.server);
  const lock = await lockDataDir(config.storage.dataDir);
  try {
    return await startOnLockedDir(config, log, listeners, lock);
  } catch (err) {
    await lock.release();
    throw err;
  }
}

async function startOnLockedDir(config: Readonly<VigilConfig>, log: Logger, listeners: ListenerSettings, lock: DataDirLock): Promise<RunningVigil> {
  const eventClock = config.server.clock === 'event';
  const store = await openStore({ dataDir: config.storage.dataDir, clickhouseUrl: config.storage.clickhouseUrl, database: config.storage.database }).catch(
    (err: unknown) => {
      throw storeStartupError(config.storage.clickhouseUrl, err);
    },
  );
  const applied = await migrate(store).catch(async (err: unknown) => {
    await store.close().catch(() => undefined);
    throw storeStartupError(config.storage.clickhouseUrl, err);
  });
  if (applied.length) log.info({ migrations: applied }, 'store migrated');
  await applyRetention(store, eventClock ? null : config.storage.retention);
  const { ring: keys, generatedAdminKey } = await KeyRing.open(store, config.auth.adminKey, Date.now());
  const audit = new AuditTrail(store);
  // Opening the log replays what a crash left in it, before any receiver listens.
  const writer = await TelemetryWriter.open(store, {
    maxQueuedRows: config.storage.maxQueuedRows,
    maxQueuedBytes: config.storage.maxQueuedBytes,
    maxRowsPerFlush: config.storage.maxRowsPerFlush,
    walDir: join(config.storage.dataDir, 'wal'),
    walFsync: config.storage.walFsync,
    log,
  });
  const telemetryVisible = (): Promise<void> => readBarrier(writer, log);
  // Silences follow the engine's clock (event time in --clock event), read once the pipeline is open.
  const silences = await SilenceService.open(store, () => pipeline.now(), log);
  // Release validation follows the engine's clock too; it is fed by the pipeline beside detection.
  const kpisAround = kpiAroundReader(store, config.kpis);
  // A deploy's smoke runs are read from synthetics' stored runs (`checks` exists once the pipeline does).
  const smokeRuns = (check: string, fromMs: number, toMs: number, limit: number): Promise<StoredCheckRun[]> =>
    checks?.runs(check, fromMs, toMs, limit) ?? Promise.resolve([]);
  const release = await ReleaseService.open({ store, config: config.release, log, audit, now: () => pipeline.now(), telemetryVisible, kpisAround, smokeRuns });
  const pipeline = await Pipeline.open({
    store,
    config,
    log,
    eventClock,
    telemetryVisible,
    contextQueries: new ClickHouseContextQueries(store),
    notifier: notifier(config, log),
    silencer: (incident, nowMs) => silences.covering(incident, nowMs),
    release,
    openActionItemsOf: (incident) => followUp.openItemsForMessage(incident),
  });
  const slos = await SloService.open(store, config.slos, pipeline, log);
  const incidents = new IncidentService(store, pipeline);
  release.attachIncidents(incidents);
  const stakeholders = stakeholderChannels(config, log);
  const statusPage = await StatusService.open({
    store,
    config: config.status,
    incidents,
    now: () => pipeline.now(),
    log,
    ...(stakeholders ? { publish: stakeholders.publish } : {}),
  });
  // Stakeholder updates follow the incidents' own events, as they are stored.
  pipeline.onIncidentUpdates((_updates, records, nowMs) => statusPage.incidentsUpdated(records, nowMs));
  const followUp = new FollowUpService(store, { now: () => pipeline.now() }, slos, undefined, {
    kpisAround,
    kpiNames: config.kpis.map((k) => k.name),
    checkedServices: () => (checks?.list() ?? []).flatMap((c) => (c.service ? [c.service] : [])),
  });
  // The weekly reliability report to a channel (reports.weekly), on the wall clock: a week is people's time.
  const weeklyReport = config.reports.weekly
    ? new WeeklyReportPoster({
        schedule: config.reports.weekly,
        notify: config.notify,
        dataDir: config.storage.dataDir,
        log,
        now: () => Date.now(),
        report: (fromMs, toMs) => followUp.reliability(fromMs, toMs),
        ...(config.server.publicUrl ? { publicUrl: config.server.publicUrl } : {}),
      })
    : undefined;
  const confidence = new ConfidenceService({ store, now: () => pipeline.now(), incidents, slos, checks: () => checks?.list() ?? [], verdicts: release });
  release.confidenceOf = (r) =>
    confidence.forRelease(r.deployment.service, { version: r.deployment.version, status: r.verdict.status, summary: r.verdict.summary });

  // Secrets leave each batch here, before the write-ahead log, the store and detection see it.
  // User alert rules see every batch after the pipeline and report through it, on its clock.
  const rules = await RuleService.open({
    store,
    fromConfig: config.rules,
    eventClock,
    now: () => pipeline.now(),
    report: (signals) => pipeline.reportSignals(signals),
    log,
  });
  const sink: IngestSink = redactingSink(await openRedactor(config.redaction, config.storage.dataDir), {
    async accept(batch: TelemetryBatch): Promise<void> {
      try {
        await writer.write(batch);
      } catch (err) {
        if (err instanceof QueueFullError) throw new IngestOverloadedError(err.message, 2, 429);
        log.error({ err }, 'store write failed');
        throw new IngestOverloadedError('the store is not accepting writes right now', 5, 503);
      }
      // Acknowledged data is durable from here on; detection follows in arrival order.
      await pipeline.ingest(batch);
      await rules.observe(batch);
    },
  });
  const authenticate = (authorization: string | undefined): Promise<boolean> => Promise.resolve(keys.allows(authorization, 'ingest'));
  const selfMetrics = new SelfMetrics({
    writer: () => writer.getStats(),
    detectionLagSeconds: () => pipeline.detectionLagMs() / 1000,
    openIncidents: () => pipeline.openIncidents(),
    notifications: () => pipeline.notificationStats(),
  });

  const checks = config.checks.dir ? syntheticMonitor(config, store, log, pipeline, sink) : undefined;
  // Every deployment, recorded or inferred from a new service.version, runs its service's smoke checks at once.
  if (checks) pipeline.onDeploy((deploy) => release.expectSmoke(deploy.id, checks.onDeploy(deploy.service)));

  const serverFactory = httpServerFactory(listeners);
  const otlp: FastifyInstance = Fastify({ logger: false, bodyLimit: pipeline.ingestLimits.maxBodyBytes, serverFactory });
  countOtlpHttpAnswers(otlp, selfMetrics);
  // One budget of request bytes being decoded, shared by the HTTP and gRPC receivers.
  const inFlight = new InFlightBytes(pipeline.ingestLimits.maxInFlightBytes);
  registerOtlpHttpRoutes(otlp, {
    sink,
    limits: pipeline.ingestLimits,
    inFlight,
    authenticate,
    log,
    onDecoded: (signal, counts) => selfMetrics.decoded(signal, 'http', counts),
  });
  // UI sessions survive restarts: kept in the store, the expired purged as they are loaded.
  const sessions = await SessionStore.open(keys, storedSessions(store), {}, (err) => log.warn({ err }, 'ui session delete failed'));
  const api = buildApi(
    {
      store,
      telemetry: { visible: telemetryVisible },
      keys,
      audit,
      clock: { mode: eventClock ? 'event' : 'wall', now: () => pipeline.now(), watermarkMs: () => pipeline.watermarkMs() },
      changes: {
        record: (input) => pipeline.recordChange(input),
      },
      incidents: withFollowUp(incidents, followUp),
      followUp,
      ...(checks ? { checks } : {}),
      slos,
      silences,
      rules,
      statusPage,
      confidence,
      release,
      sessions,
      serviceMap: pipeline.dependencyGraph(),
      // SLOs and checks are read per report: both change while Vigil runs (the API, reloads).
      coverageOptions: {
        criticalJourneys: config.incidents.criticalJourneys,
        get slos() {
          return slos.definitions().map((d) => ({ name: d.name, service: d.service, ...(d.route ? { route: d.route } : {}) }));
        },
        get syntheticChecks() {
          return (checks?.list() ?? []).map((c) => ({ name: c.name, ...(c.service ? { service: c.service } : {}) }));
        },
      },
      selfMetrics,
      status: async () => {
        const ingestQueue = writer.getStats();
        const memory = await memoryStatus(store);
        const notifications = pipeline.notificationStats();
        const reasons = degradedReasons({
          storeAnswered: memory.engineTrackedBytes !== null,
          insertFailures: ingestQueue.insertFailures,
          queuedRows: ingestQueue.queuedRows,
          maxQueuedRows: config.storage.maxQueuedRows,
          queuedBytes: ingestQueue.queuedBytes,
          maxQueuedBytes: config.storage.maxQueuedBytes,
          notifications,
        });
        return { reasons, ingestQueue, pipeline: pipeline.status(), memory, notifications };
      },
    },
    { bodyLimitBytes: 1_048_576, log, serverFactory },
  );
  registerUiRoutes(api, { keys, sessions }, { assets: new UiAssets(), secure: !!listeners.tls, sessionTtlMs: defaultSessionOptions.ttlMs });
  const { host, port, otlpHttpPort, otlpGrpcPort } = config.server;
  let grpc: RunningOtlpGrpc;
  try {
    // Invalid check files stop the start here, every problem listed, before any port opens.
    await checks?.start();
    await listenOrExplain({ role: 'API', host, port, flag: '--port' }, () => api.listen({ host, port }));
    await listenOrExplain({ role: 'OTLP/HTTP', host, port: otlpHttpPort, flag: '--otlp-port' }, () => otlp.listen({ host, port: otlpHttpPort }));
    grpc = await listenOrExplain({ role: 'OTLP/gRPC', host, port: otlpGrpcPort, flag: '--otlp-grpc-port' }, () =>
      startOtlpGrpcServer({
        host,
        port: otlpGrpcPort,
        sink,
        limits: pipeline.ingestLimits,
        inFlight,
        authenticate,
        log,
        onDecoded: (signal, counts) => selfMetrics.decoded(signal, 'grpc', counts),
        tls: listeners.tls,
        connectionOptions: grpcConnectionOptions(listeners),
      }),
    );
  } catch (err) {
    // Nothing was acknowledged yet: close what was opened so the process can exit with the error.
    await checks?.stop();
    await Promise.allSettled([api.close(), otlp.close()]);
    await writer.stop();
    await pipeline.stop();
    await store.close();
    throw err;
  }
  pipeline.start();
  release.start();
  await stakeholders?.start();
  await weeklyReport?.start();
  await statusPage.start();
  rules.start();
  await audit.record({ ...systemActor, action: 'config.load', target: 'vigil.yaml', status: 0, ip: '', details: configSummary(config) });
  const apiPort = portOf(api);
  const otlpPort = portOf(otlp);
  log.info({ api: apiPort, otlpHttp: otlpPort, otlpGrpc: grpc.port, clock: config.server.clock, dataDir: config.storage.dataDir }, 'vigil started');

  const scheme = listeners.tls ? 'https' : 'http';
  let stopping: Promise<void> | undefined;
  return {
    apiUrl: `${scheme}://${host}:${apiPort}`,
    otlpHttpUrl: `${scheme}://${host}:${otlpPort}`,
    otlpGrpcPort: grpc.port,
    generatedAdminKey,
    store,
    pipeline,
    log,
    ingest: (batch) => sink.accept(batch),
    sync: () => writer.sync(),
    stop() {
      // Stop accepting, finish what was acknowledged, save engine state, then close the store.
      stopping ??= (async () => {
        await checks?.stop();
        await statusPage.stop();
        await stakeholders?.stop();
        await weeklyReport?.stop();
        await Promise.allSettled([otlp.close(), grpc.stop()]);
        await writer.stop();
        // Rule state is saved once no batch is observed any more; its signals still reach the pipeline.
        await rules.stop();
        await pipeline.stop();
        await release.stop();
        await api.close();
        await store.close();
        await lock.release();
        log.info('vigil stopped');
      })();
      return stopping;
    },
  };
}

/** Incident messages through a persistent outbox under DIR/notify; none without a configured channel. */
function notifier(config: Readonly<VigilConfig>, log: Logger): Notifier | undefined {
  if (!config.notify.channels.length) return undefined;
  // Deep links point at server.publicUrl; notify.baseUrl is its deprecated older name.
  const baseUrl = config.server.publicUrl ?? config.notify.baseUrl;
  return new Notifier({ config: { ...config.notify, ...(baseUrl ? { baseUrl } : {}) }, directory: join(config.storage.dataDir, 'notify'), logger: log });
}

/** Synthetic checks: runs stored, spans through ingest like any telemetry, confirmed failures as signals. */
function syntheticMonitor(config: Readonly<VigilConfig>, store: StoreClient, log: Logger, pipeline: Pipeline, sink: IngestSink): SyntheticMonitor {
  return new SyntheticMonitor({
    store,
    log,
    dir: config.checks.dir!,
    env: processEnvironment(),
    concurrency: config.checks.concurrency,
    chromiumPath: config.checks.chromiumPath,
    artifactsDir: join(config.storage.dataDir, 'synthetics'),
    engineNow: () => pipeline.now(),
    reportSignals: (signals) => pipeline.reportSignals(signals),
    ingestSpans: (spans) => sink.accept({ spans, logs: [], metrics: [] }),
  });
}

/** A store that keeps failing inserts must not hang reads: past this they answer with what is stored. */
const readBarrierTimeoutMs = 15_000;

async function readBarrier(writer: TelemetryWriter, log: Logger): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), readBarrierTimeoutMs)));
  const synced = writer.sync().then(() => false);
  // After a timeout nobody awaits `synced` any more; its rejection (writer stopped) must not go unhandled.
  synced.catch(() => undefined);
  try {
    if (await Promise.race([synced, timedOut])) log.warn({ ingestQueue: writer.getStats() }, 'read did not wait for acknowledged rows: the store is behind');
  } finally {
    clearTimeout(timer);
  }
}

/** Every OTLP/HTTP answer (refusals too: 400, 401, 413, 429) by signal and status, with the bytes sent. */
function countOtlpHttpAnswers(otlp: FastifyInstance, metrics: SelfMetrics): void {
  otlp.addHook('onResponse', (req, reply, done) => {
    const signal = /^\/v1\/(traces|metrics|logs)$/.exec(req.routeOptions.url ?? '')?.[1] as OtlpSignalName | undefined;
    if (signal) metrics.otlpHttpAnswered(signal, reply.statusCode, Number(req.headers['content-length'] ?? 0) || 0);
    done();
  });
}

function portOf(app: FastifyInstance): number {
  const addr = app.server.address();
  return typeof addr === 'object' && addr ? addr.port : 0;
}

export type { ChangeEvent };

/**
 * Bytes the process holds (the JS heap and, embedded, the engine's native memory: rss − heap) and
 * what the store's engine holds (embedded, part of rssBytes; with a server, the server's).
 */
async function memoryStatus(store: StoreClient): Promise<MemoryStatus> {
  const engine = await readEngineMemory(store);
  return { ...processMemory(), engineTrackedBytes: engine.trackedBytes, engineAllocator: engine.allocator };
}

/** Bytes the process holds: the JS heap and, with the embedded store, chDB's native memory (rss − heap). */
function processMemory(): { rssBytes: number; heapUsedBytes: number; heapTotalBytes: number; externalBytes: number } {
  const m = process.memoryUsage();
  return { rssBytes: m.rss, heapUsedBytes: m.heapUsed, heapTotalBytes: m.heapTotal, externalBytes: m.external };
}

/** What the audit trail keeps of a loaded configuration: its shape and a fingerprint, no secrets. */
function configSummary(config: Readonly<VigilConfig>): Record<string, unknown> {
  const withoutSecrets = { ...config, auth: undefined, notify: undefined };
  return { clock: config.server.clock, host: config.server.host, sha256: createHash('sha256').update(JSON.stringify(withoutSecrets)).digest('hex') };
}
