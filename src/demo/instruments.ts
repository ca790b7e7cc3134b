// The demo services' metrics, registered on each service's meter (again after every redeploy):
// process memory with its limit, CPU share, pool gauges and wait times, queue depth and orders.

import type { Counter, Histogram } from '@opentelemetry/api';
import { MEMORY_LIMIT_MB, POOLS } from '../sim/index.js';
import type { ConnectionPool } from './pool.js';
import type { ShopNode } from './shop-node.js';

export interface PoolInstruments {
  waitTime: Histogram;
  timeouts: Counter;
}

export interface MetricSources {
  readonly pools: Map<string, ConnectionPool>;
  readonly queueDepth: number;
  readonly orders: number;
  memoryUsedMb(node: ShopNode, nowMs: number): number;
}

const MB = 1024 * 1024;
const WAIT_BOUNDS_S = [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function registerServiceMetrics(node: ShopNode, sources: MetricSources, poolInstruments: Map<string, PoolInstruments>): void {
  let lastBusyAt = Date.now();
  let lastOrders = 0;
  node.tel.onMeter((meter) => {
    meter.createObservableGauge('process.memory.usage', { unit: 'By', description: 'Resident set size' }).addCallback((r) => {
      if (node.server) r.observe(Math.round(sources.memoryUsedMb(node, Date.now()) * MB));
    });
    meter
      .createObservableGauge('process.memory.limit', { unit: 'By', description: 'Memory limit of the container' })
      .addCallback((r) => r.observe(MEMORY_LIMIT_MB * MB));
    meter.createObservableGauge('process.cpu.utilization', { unit: '1', description: 'CPU time per wall time' }).addCallback((r) => {
      const now = Date.now();
      r.observe(Math.min(1, 0.02 + node.busyMs / Math.max(1, now - lastBusyAt)));
      node.busyMs = 0;
      lastBusyAt = now;
    });
    for (const spec of POOLS.filter((p) => p.service === node.service)) {
      const key = `${spec.service}->${spec.dependency}`;
      const pool = sources.pools.get(key);
      if (!pool) continue;
      const attrs = { 'db.client.connection.pool.name': spec.dependency };
      meter.createObservableGauge('db.client.connection.count', { unit: '{connection}', description: 'Connections by state' }).addCallback((r) => {
        r.observe(pool.used, { ...attrs, 'db.client.connection.state': 'used' });
        r.observe(pool.max - pool.used, { ...attrs, 'db.client.connection.state': 'idle' });
      });
      meter
        .createObservableGauge('db.client.connection.max', { unit: '{connection}', description: 'Pool size' })
        .addCallback((r) => r.observe(pool.max, attrs));
      meter
        .createObservableGauge('db.client.connection.pending_requests', { unit: '{request}', description: 'Callers waiting for a connection' })
        .addCallback((r) => r.observe(pool.pending, attrs));
      poolInstruments.set(key, {
        waitTime: meter.createHistogram('db.client.connection.wait_time', {
          unit: 's',
          description: 'Time to acquire a connection',
          advice: { explicitBucketBoundaries: WAIT_BOUNDS_S },
        }),
        timeouts: meter.createCounter('db.client.connection.timeouts', { unit: '{timeout}', description: 'Acquire timeouts' }),
      });
    }
    if (node.service === 'email') {
      meter
        .createObservableGauge('messaging.queue.depth', { unit: '{message}', description: 'Messages waiting in the queue' })
        .addCallback((r) => r.observe(sources.queueDepth, { 'messaging.destination.name': 'email-queue' }));
    }
    if (node.service === 'checkout') {
      meter.createObservableCounter('shop.orders', { unit: '{order}', description: 'Orders placed' }).addCallback((r) => {
        lastOrders = sources.orders;
        r.observe(lastOrders);
      });
    }
  });
}
