// Test support for the KPI suites: an orders-per-minute delta count, as a shop's meter exports it.
import type { MetricPoint } from '../model/index.js';
import { blankMetric } from '../model/testing/records.js';

export const T0 = 1_793_610_000_000; // 2026-11-02T09:00:00Z
export const MIN = 60_000;

/** The count of one minute (ending 5 s into the next), checkout's `business.orders` unless named. */
export function ordersPoint(minute: number, value: number, service = 'checkout', name = 'business.orders'): MetricPoint {
  return blankMetric({
    name,
    unit: '1',
    type: 'sum',
    temporality: 'delta',
    isMonotonic: true,
    timeMs: T0 + minute * MIN + 5_000,
    startTimeMs: T0 + (minute - 1) * MIN,
    value,
    service,
    serviceVersion: '1.0.0',
    environment: 'prod',
  });
}
