// One running demo service as the runtime and its metric instruments both see it (its own file so
// neither imports the other).
import type { Server } from 'node:http';
import type { ShopService } from '../sim/index.js';
import type { ServiceTelemetry } from './telemetry.js';

export interface ShopNode {
  service: ShopService;
  tel: ServiceTelemetry;
  server?: Server;
  port: number;
  busyMs: number;
  leakedMb: number;
  restartingUntilMs: number;
}
