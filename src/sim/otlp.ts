// Model records → OTLP/JSON export requests (the wire format an SDK would send), so simulated
// telemetry can be fed through Vigil's real OTLP receivers in drills and replays. Pure.

import type { Attributes, LogRecord, MetricPoint, Span, SpanKind } from '../model/index.js';

interface KeyValue {
  key: string;
  value: { stringValue: string };
}

const KIND: Record<SpanKind, number> = { unspecified: 0, internal: 1, server: 2, client: 3, producer: 4, consumer: 5 };
const STATUS = { unset: 0, ok: 1, error: 2 } as const;

/** Epoch ms (float) → unix nanos as a decimal string, exact to the microsecond. */
export function nanos(ms: number): string {
  return (BigInt(Math.round(ms * 1000)) * 1000n).toString();
}

function attributes(attrs: Attributes): KeyValue[] {
  return Object.entries(attrs).map(([key, value]) => ({ key, value: { stringValue: value } }));
}

interface ResourceGroup<T> {
  resourceAttributes: Attributes;
  scopes: Map<string, T[]>;
}

/** Groups records by resource (object identity of the attribute map, then content) and scope. */
function groupByResource<T extends { resourceAttributes: Attributes }>(records: readonly T[], scopeOf: (r: T) => string): ResourceGroup<T>[] {
  const groups = new Map<string, ResourceGroup<T>>();
  const keyOf = new Map<Attributes, string>();
  for (const r of records) {
    let key = keyOf.get(r.resourceAttributes);
    if (key === undefined) {
      key = JSON.stringify(r.resourceAttributes);
      keyOf.set(r.resourceAttributes, key);
    }
    let g = groups.get(key);
    if (!g) {
      g = { resourceAttributes: r.resourceAttributes, scopes: new Map() };
      groups.set(key, g);
    }
    const scope = scopeOf(r);
    let list = g.scopes.get(scope);
    if (!list) {
      list = [];
      g.scopes.set(scope, list);
    }
    list.push(r);
  }
  return [...groups.values()];
}

/** One OTLP export request: the records grouped by resource, then by scope, each encoded by `encode`. */
function exportRequest<T extends { resourceAttributes: Attributes }>(
  names: { resources: string; scopes: string; records: string },
  records: readonly T[],
  scopeOf: (r: T) => string,
  encode: (r: T) => unknown,
): Record<string, unknown> {
  return {
    [names.resources]: groupByResource(records, scopeOf).map((g) => ({
      resource: { attributes: attributes(g.resourceAttributes) },
      [names.scopes]: [...g.scopes].map(([name, list]) => ({ scope: { name }, [names.records]: list.map((r) => encode(r)) })),
    })),
  };
}

export function tracesRequest(spans: readonly Span[]): Record<string, unknown> {
  return exportRequest(
    { resources: 'resourceSpans', scopes: 'scopeSpans', records: 'spans' },
    spans,
    (s) => s.scopeName,
    (s) => ({
      traceId: s.traceId,
      spanId: s.spanId,
      parentSpanId: s.parentSpanId,
      name: s.name,
      kind: KIND[s.kind],
      startTimeUnixNano: nanos(s.startTimeMs),
      endTimeUnixNano: nanos(s.startTimeMs + s.durationMs),
      attributes: attributes(s.attributes),
      events: s.events.map((e) => ({ timeUnixNano: nanos(e.timeMs), name: e.name, attributes: attributes(e.attributes) })),
      links: s.links.map((l) => ({ traceId: l.traceId, spanId: l.spanId, attributes: attributes(l.attributes) })),
      status: { code: STATUS[s.statusCode], message: s.statusMessage },
    }),
  );
}

export function logsRequest(logs: readonly LogRecord[]): Record<string, unknown> {
  return exportRequest(
    { resources: 'resourceLogs', scopes: 'scopeLogs', records: 'logRecords' },
    logs,
    (l) => l.scopeName,
    (l) => ({
      timeUnixNano: nanos(l.timeMs),
      observedTimeUnixNano: nanos(l.observedTimeMs),
      severityNumber: l.severityNumber,
      severityText: l.severityText,
      body: { stringValue: l.body },
      attributes: attributes(l.attributes),
      traceId: l.traceId,
      spanId: l.spanId,
    }),
  );
}

function metricData(m: MetricPoint): Record<string, unknown> {
  const point = { attributes: attributes(m.attributes), startTimeUnixNano: nanos(m.startTimeMs), timeUnixNano: nanos(m.timeMs) };
  const temporality = m.temporality === 'delta' ? 1 : m.temporality === 'cumulative' ? 2 : 0;
  switch (m.type) {
    case 'gauge':
      return { gauge: { dataPoints: [{ ...point, asDouble: m.value }] } };
    case 'sum':
      return { sum: { aggregationTemporality: temporality, isMonotonic: m.isMonotonic, dataPoints: [{ ...point, asDouble: m.value }] } };
    case 'histogram': {
      const extremes = m.count > 0 ? { min: m.min, max: m.max } : {};
      return {
        histogram: {
          aggregationTemporality: temporality,
          dataPoints: [
            { ...point, count: String(m.count), sum: m.sum, ...extremes, bucketCounts: m.bucketCounts.map(String), explicitBounds: m.explicitBounds },
          ],
        },
      };
    }
    default:
      throw new Error(`OTLP JSON for ${m.type} metrics is not produced by the simulator`);
  }
}

export function metricsRequest(points: readonly MetricPoint[]): Record<string, unknown> {
  return exportRequest(
    { resources: 'resourceMetrics', scopes: 'scopeMetrics', records: 'metrics' },
    points,
    () => 'shop',
    (m) => ({ name: m.name, description: m.description, unit: m.unit, ...metricData(m) }),
  );
}
