// Starts the whole live demo shop: OpenTelemetry SDK, the seven services, background jobs, the
// traffic generator, harmless deploys and the control API, wired to one fault controller.

import type { Server } from 'node:http';
import { getHeapStatistics } from 'node:v8';
import { BackgroundJobs } from './background-jobs.js';
import { startControlServer } from './control.js';
import { HarmlessDeploys } from './deploys.js';
import { LiveFaults } from './faults.js';
import type { FaultStatus } from './faults.js';
import { ShopRuntime } from './runtime.js';
import { DemoTelemetry } from './telemetry.js';
import { TrafficGenerator } from './traffic.js';
import { noChangeReporter, VigilChangeReporter } from './vigil-changes.js';
import type { ChangeReporter } from './vigil-changes.js';

export interface DemoShopOptions {
  /** OTLP/HTTP base URL of Vigil (or any OTLP receiver). */
  otlpUrl: string;
  /** Vigil's API base URL for deployments and changes; omit to report nothing. */
  apiUrl?: string;
  apiKey: string;
  environment?: string;
  /** Mean frontend requests per second (default 5). */
  rps?: number;
  /** One simulated day lasts this long (default 1 h). */
  dayMs?: number;
  /** Mean time between harmless deploys (default 10 min; 0 disables). */
  deployEveryMs?: number;
  frontendPort?: number;
  /** Control API port (default 8090; 0 picks a free one). */
  controlPort?: number;
  metricIntervalMs?: number;
  seed?: number;
}

export interface DemoShopStatus {
  frontendUrl: string;
  controlUrl: string;
  requestsSent: number;
  responses: Record<string, number>;
  versions: Record<string, string>;
  deploys: number;
  activeFaults: FaultStatus[];
  changeReportFailures: string[];
  /** The shop's own JS heap (its thread's, when it runs on a worker thread). */
  heapUsedBytes: number;
  heapTotalBytes: number;
}

export interface DemoShop {
  readonly frontendUrl: string;
  readonly controlUrl: string;
  inject(name: string): Promise<FaultStatus>;
  clear(name: string): Promise<FaultStatus | undefined>;
  status(): DemoShopStatus;
  stop(): Promise<void>;
}

export async function startDemoShop(options: DemoShopOptions): Promise<DemoShop> {
  const environment = options.environment ?? 'demo';
  const portMap = new Map<number, string>();
  const telemetry = new DemoTelemetry({
    otlpUrl: options.otlpUrl.replace(/\/$/, ''),
    apiKey: options.apiKey,
    environment,
    metricIntervalMs: options.metricIntervalMs ?? 10_000,
    peerOfPort: (port) => portMap.get(port),
  });
  const reporter: ChangeReporter = options.apiUrl ? new VigilChangeReporter(options.apiUrl.replace(/\/$/, ''), options.apiKey, environment) : noChangeReporter;
  // The fault controller and the runtime need each other: the hooks resolve the runtime lazily.
  let runtime: ShopRuntime | undefined = undefined;
  const versionOf = (service: string): string => runtime?.nodes.get(service)?.tel.version ?? '0.0.0';
  const redeploy = async (service: string, version: string, description: string, attributes: Record<string, string>): Promise<void> => {
    await runtime?.nodes.get(service)?.tel.redeploy(version);
    await reporter.deploy(service, version, description, attributes);
  };
  const faults = new LiveFaults({
    currentVersion: versionOf,
    deploy: redeploy,
    config: (service, description, attributes) => reporter.config(service, description, attributes),
  });
  runtime = new ShopRuntime({ telemetry, faults, portMap, frontendPort: options.frontendPort });
  await runtime.start();
  const shop = runtime;
  const jobs = new BackgroundJobs(shop.pools, () => faults.conditions(Date.now()));
  jobs.start();
  const traffic = new TrafficGenerator({
    frontendPort: () => shop.nodes.get('frontend')?.port ?? 0,
    rps: options.rps ?? 5,
    dayMs: options.dayMs ?? 3_600_000,
    seed: options.seed ?? 1,
    conditions: () => faults.conditions(Date.now()),
  });
  traffic.start();
  const deploys = new HarmlessDeploys(
    { currentVersion: versionOf, deploy: (s, v, d) => redeploy(s, v, d, {}), busy: (s) => faults.owns(s) },
    options.deployEveryMs ?? 600_000,
  );
  deploys.start();

  const api = {
    inject: (name: string) => faults.inject(name, Date.now()),
    clear: (name: string) => faults.clear(name, Date.now()),
    activeFaults: () => faults.list(),
    status: (): DemoShopStatus => ({
      frontendUrl: shop.frontendUrl(),
      controlUrl,
      requestsSent: traffic.sent,
      responses: Object.fromEntries([...traffic.answered].map(([k, v]) => [String(k), v])),
      versions: Object.fromEntries([...shop.nodes].map(([k, n]) => [k, n.tel.version])),
      deploys: deploys.count,
      activeFaults: faults.list(),
      changeReportFailures: reporter instanceof VigilChangeReporter ? reporter.failures.slice(-10) : [],
      heapUsedBytes: getHeapStatistics().used_heap_size,
      heapTotalBytes: getHeapStatistics().total_heap_size,
    }),
  };
  const control = await startControlServer(api, options.controlPort ?? 8090);
  const controlUrl = control.url;
  return {
    frontendUrl: shop.frontendUrl(),
    controlUrl,
    inject: api.inject,
    clear: api.clear,
    status: api.status,
    async stop() {
      traffic.stop();
      deploys.stop();
      jobs.stop();
      await closeServer(control.server);
      await shop.stop();
      await telemetry.stop();
    },
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
