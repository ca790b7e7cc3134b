// OTLP metrics (in the JSON mapping's shape) → one MetricPoint per data point, for all five metric
// types. The protobuf path decodes reflectively into the same shape (metrics are not the hot path).
import { noDistribution, type MetricPoint, type MetricType, type Temporality } from '../model/index.js';
import { attributeViolation } from './attributes.js';
import { OtlpDecodeError } from './errors.js';
import {
  arrayField,
  attributesField,
  enumField,
  field,
  int64Field,
  isObject,
  nanosField,
  numberField,
  objectField,
  objectsOf,
  stringField,
  type JsonObject,
} from './json-values.js';
import { walkJsonRequest } from './json-resources.js';
import type { IngestLimits } from './limits.js';
import { MAX_TIME_MS, timeViolation } from './request-bounds.js';
import { takeItem, type ItemKind, type ItemScope, type SignalContext } from './signal-items.js';
import type { ValueLimits } from './wire-values.js';

const TEMPORALITIES: readonly Temporality[] = ['unspecified', 'delta', 'cumulative'];
const TEMPORALITY_NAMES = ['AGGREGATION_TEMPORALITY_UNSPECIFIED', 'AGGREGATION_TEMPORALITY_DELTA', 'AGGREGATION_TEMPORALITY_CUMULATIVE'];

/** What every point of one metric shares: the resource it came under and the metric's own fields. */
type MetricHead = Pick<ItemScope, 'identity' | 'resourceAttributes'> &
  Pick<MetricPoint, 'name' | 'description' | 'unit' | 'type' | 'temporality' | 'isMonotonic'>;

const DATA_FIELDS: ReadonlyArray<[MetricType, string, string]> = [
  ['gauge', 'gauge', 'gauge'],
  ['sum', 'sum', 'sum'],
  ['histogram', 'histogram', 'histogram'],
  ['exponential_histogram', 'exponentialHistogram', 'exponential_histogram'],
  ['summary', 'summary', 'summary'],
];

export function decodeMetricsShape(request: JsonObject, ctx: SignalContext<MetricPoint>): void {
  walkJsonRequest(
    request,
    { resources: ['resourceMetrics', 'resource_metrics'], scopes: ['scopeMetrics', 'scope_metrics'], items: ['metrics', undefined] },
    ctx,
    (m, where, scope) => readMetric(m, scope, ctx, where),
  );
}

function readMetric(m: JsonObject, { identity, resourceAttributes }: ItemScope, ctx: SignalContext<MetricPoint>, where: string): void {
  for (const [type, camel, snake] of DATA_FIELDS) {
    const data = field(m, camel, snake);
    if (data === undefined || data === null) continue;
    if (!isObject(data)) throw new OtlpDecodeError(`${where}.${camel} must be an object`);
    const head: MetricHead = {
      identity,
      resourceAttributes,
      name: stringField(m, 'name', undefined, where),
      description: stringField(m, 'description', undefined, where),
      unit: stringField(m, 'unit', undefined, where),
      type,
      temporality: TEMPORALITIES[enumField(data, 'aggregationTemporality', 'aggregation_temporality', TEMPORALITY_NAMES, where)] ?? 'unspecified',
      isMonotonic: field(data, 'isMonotonic', 'is_monotonic') === true,
    };
    objectsOf(arrayField(data, 'dataPoints', 'data_points', `${where}.${camel}`), `${where}.${camel}.dataPoints`).forEach((p, n) =>
      takeItem(DATA_POINTS, ctx, p, `${where}.${camel}.dataPoints[${n}]`, head),
    );
    return;
  }
  // A metric with no data field carries no points: nothing to store, nothing to reject.
}

export const DATA_POINTS: ItemKind<MetricPoint, MetricHead, JsonObject, string> = {
  singular: 'data point',
  plural: 'data points',
  empty: emptyPoint,
  read: readPoint,
  finish(point, ctx) {
    const problem = pointViolation(point, ctx.limits);
    if (problem) ctx.rejections.reject(problem);
    return problem === undefined;
  },
};

/** Why a decoded point is rejected, or undefined. */
function pointViolation(point: MetricPoint, limits: IngestLimits): string | undefined {
  return (
    (point.name === '' ? 'metric name must not be empty' : undefined) ??
    (point.name.length > limits.maxNameLength
      ? `metric name is ${point.name.length} characters long, over the limit ingest.maxNameLength=${limits.maxNameLength}`
      : undefined) ??
    (point.description.length + point.unit.length > limits.maxAttributeValueLength
      ? `metric description and unit are over the limit ingest.maxAttributeValueLength=${limits.maxAttributeValueLength}`
      : undefined) ??
    timeViolation(point.timeMs, 'data point time_unix_nano') ??
    (point.startTimeMs >= MAX_TIME_MS ? 'data point start_time_unix_nano is after 2100-01-01' : undefined) ??
    pointValueViolation(point) ??
    attributeViolation(point.attributes, limits, `data point of "${point.name.slice(0, 200)}"`)
  );
}

function emptyPoint(head: MetricHead): MetricPoint {
  return {
    service: head.identity.service,
    serviceVersion: head.identity.serviceVersion,
    environment: head.identity.environment,
    name: head.name,
    description: head.description,
    unit: head.unit,
    type: head.type,
    temporality: head.temporality,
    isMonotonic: head.isMonotonic,
    timeMs: 0,
    startTimeMs: 0,
    attributes: {},
    resourceAttributes: head.resourceAttributes,
    value: 0,
    ...noDistribution(),
  };
}

function readPoint(p: JsonObject, where: string, point: MetricPoint, limits: ValueLimits): void {
  point.timeMs = nanosField(p, 'timeUnixNano', 'time_unix_nano', where);
  point.startTimeMs = nanosField(p, 'startTimeUnixNano', 'start_time_unix_nano', where);
  point.attributes = attributesField(p, 'attributes', undefined, where, limits);
  if (point.type === 'gauge' || point.type === 'sum') {
    const asInt = field(p, 'asInt', 'as_int');
    point.value = asInt !== undefined && asInt !== null ? int64Field(p, 'asInt', 'as_int', where) : (numberField(p, 'asDouble', 'as_double', where) ?? 0);
    return;
  }
  point.count = int64Field(p, 'count', undefined, where);
  point.sum = numberField(p, 'sum', undefined, where) ?? 0;
  point.min = numberField(p, 'min', undefined, where) ?? NaN;
  point.max = numberField(p, 'max', undefined, where) ?? NaN;
  if (point.type === 'histogram') {
    point.bucketCounts = numbers(arrayField(p, 'bucketCounts', 'bucket_counts', where), `${where}.bucketCounts`);
    point.explicitBounds = numbers(arrayField(p, 'explicitBounds', 'explicit_bounds', where), `${where}.explicitBounds`);
  } else if (point.type === 'exponential_histogram') {
    point.expScale = numberField(p, 'scale', undefined, where) ?? 0;
    point.expZeroCount = int64Field(p, 'zeroCount', 'zero_count', where);
    const positive = objectField(p, 'positive', undefined, where);
    const negative = objectField(p, 'negative', undefined, where);
    if (positive) {
      point.expPositiveOffset = numberField(positive, 'offset', undefined, `${where}.positive`) ?? 0;
      point.expPositiveCounts = numbers(arrayField(positive, 'bucketCounts', 'bucket_counts', `${where}.positive`), `${where}.positive.bucketCounts`);
    }
    if (negative) {
      point.expNegativeOffset = numberField(negative, 'offset', undefined, `${where}.negative`) ?? 0;
      point.expNegativeCounts = numbers(arrayField(negative, 'bucketCounts', 'bucket_counts', `${where}.negative`), `${where}.negative.bucketCounts`);
    }
  } else {
    point.quantiles = objectsOf(arrayField(p, 'quantileValues', 'quantile_values', where), `${where}.quantileValues`).map((q, k) => ({
      quantile: numberField(q, 'quantile', undefined, `${where}.quantileValues[${k}]`) ?? 0,
      value: numberField(q, 'value', undefined, `${where}.quantileValues[${k}]`) ?? 0,
    }));
  }
}

const UINT64_END = 2 ** 64;
const isCount = (n: number): boolean => Number.isInteger(n) && n >= 0 && n < UINT64_END;
const isInt32 = (n: number): boolean => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31;

/** Why a point's numbers do not fit the store's columns (uint64 counts, int32 scale and offsets,
 * finite bounds and quantiles), or undefined: the store would refuse the whole insert. */
function pointValueViolation(p: MetricPoint): string | undefined {
  if (!isCount(p.count) || !isCount(p.expZeroCount)) return 'data point count and zero_count must be unsigned 64-bit integers';
  if (!p.bucketCounts.every(isCount) || !p.expPositiveCounts.every(isCount) || !p.expNegativeCounts.every(isCount))
    return 'data point bucket counts must be unsigned 64-bit integers';
  if (!isInt32(p.expScale) || !isInt32(p.expPositiveOffset) || !isInt32(p.expNegativeOffset))
    return 'data point scale and bucket offsets must be 32-bit integers';
  if (!p.explicitBounds.every(Number.isFinite)) return 'data point explicit_bounds must be finite numbers';
  if (!p.quantiles.every((q) => Number.isFinite(q.quantile) && Number.isFinite(q.value))) return 'summary quantiles and their values must be finite numbers';
  return undefined;
}

function numbers(items: unknown[], where: string): number[] {
  return items.map((v, k) => numberField({ v }, 'v', undefined, `${where}[${k}]`) ?? 0);
}
