// The shop's periodic metrics, as an SDK's periodic reader would export them: process memory
// (with its limit), CPU, connection-pool gauges and the wait-time histogram, queue depth and
// orders. Gauges are instantaneous; counters and histograms are delta over the interval.

import type { MetricPoint } from '../model/index.js';
import { WAIT_BOUNDS_S } from './pools.js';
import { buildMetric } from './records.js';
import type { SeededRandom } from './rng.js';
import { MEMORY_LIMIT_MB } from './shop.js';
import type { ShopWorld } from './world.js';

const MB = 1024 * 1024;

export interface IntervalCounts {
  orders: number;
  published: number;
}

export function collectMetrics(world: ShopWorld, rng: SeededRandom, timeMs: number, intervalMs: number, counts: IntervalCounts): MetricPoint[] {
  const out: MetricPoint[] = [];
  const startTimeMs = timeMs - intervalMs;
  for (const service of world.topology.services) {
    const res = world.resource(service, world.versions.current(service));
    const restarting = world.isRestarting(service, timeMs);
    const busy = world.takeBusy(service);
    if (restarting) continue; // a dead process exports nothing
    const used = world.memoryUsedMb(service, timeMs);
    const gc = world.memorySlowdown(service, timeMs) - 1;
    const base = { resource: res, timeMs, startTimeMs };
    out.push(
      buildMetric({ ...base, name: 'process.memory.usage', description: 'Resident set size', unit: 'By', type: 'gauge', value: Math.round(used * MB) }),
      buildMetric({
        ...base,
        name: 'process.memory.limit',
        description: 'Memory limit of the container',
        unit: 'By',
        type: 'gauge',
        value: MEMORY_LIMIT_MB * MB,
      }),
      buildMetric({
        ...base,
        name: 'process.cpu.utilization',
        description: 'CPU time per wall time',
        unit: '1',
        type: 'gauge',
        value: Math.min(1, 0.02 + busy / intervalMs + 0.04 * gc + 0.01 * rng.next()),
      }),
    );
  }
  for (const pool of world.pools.values()) {
    const spec = pool.spec;
    if (world.isRestarting(spec.service, timeMs)) continue;
    const res = world.resource(spec.service, world.versions.current(spec.service));
    const base = { resource: res, timeMs, startTimeMs };
    const poolAttr = { 'db.client.connection.pool.name': spec.dependency };
    const inUse = Math.min(spec.max, Math.round(pool.inUse + (pool.inUse > 1 ? rng.normal() * 0.5 : 0)));
    const used = Math.max(0, inUse);
    const w = pool.takeInterval();
    const connections = (state: 'used' | 'idle', value: number): MetricPoint =>
      buildMetric({
        ...base,
        name: 'db.client.connection.count',
        description: 'Connections by state',
        unit: '{connection}',
        type: 'gauge',
        attributes: { ...poolAttr, 'db.client.connection.state': state },
        value,
      });
    out.push(
      connections('used', used),
      connections('idle', spec.max - used),
      buildMetric({
        ...base,
        name: 'db.client.connection.max',
        description: 'Pool size',
        unit: '{connection}',
        type: 'gauge',
        attributes: poolAttr,
        value: spec.max,
      }),
      buildMetric({
        ...base,
        name: 'db.client.connection.pending_requests',
        description: 'Callers waiting for a connection',
        unit: '{request}',
        type: 'gauge',
        attributes: poolAttr,
        value: Math.round(pool.pending),
      }),
      buildMetric({
        ...base,
        name: 'db.client.connection.timeouts',
        description: 'Acquire timeouts',
        unit: '{timeout}',
        type: 'sum',
        temporality: 'delta',
        isMonotonic: true,
        attributes: poolAttr,
        value: w.timeouts,
      }),
      buildMetric({
        ...base,
        name: 'db.client.connection.wait_time',
        description: 'Time to acquire a connection',
        unit: 's',
        type: 'histogram',
        temporality: 'delta',
        attributes: poolAttr,
        histogram: {
          count: w.count,
          sum: w.sumS,
          min: w.count > 0 ? 0 : NaN,
          max: w.count > 0 ? w.maxS : NaN,
          bucketCounts: w.bucketCounts,
          explicitBounds: WAIT_BOUNDS_S,
        },
      }),
    );
  }
  for (const { consumer, queue } of world.topology.queues) {
    if (world.isRestarting(consumer, timeMs)) continue;
    const res = world.resource(consumer, world.versions.current(consumer));
    const depth = rng.poisson((counts.published / (intervalMs / 1000)) * 0.05);
    out.push(
      buildMetric({
        resource: res,
        timeMs,
        startTimeMs,
        name: 'messaging.queue.depth',
        description: 'Messages waiting in the queue',
        unit: '{message}',
        type: 'gauge',
        attributes: { 'messaging.destination.name': queue },
        value: depth,
      }),
    );
  }
  const ordersService = world.topology.orders.service;
  const checkout = world.resource(ordersService, world.versions.current(ordersService));
  out.push(
    buildMetric({
      resource: checkout,
      timeMs,
      startTimeMs,
      name: 'shop.orders',
      description: 'Orders placed',
      unit: '{order}',
      type: 'sum',
      temporality: 'delta',
      isMonotonic: true,
      value: counts.orders,
    }),
  );
  return out;
}
