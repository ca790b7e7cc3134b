// OTLP metrics (in the JSON mapping's shape) → one MetricPoint per data point, for all five metric
// types. The protobuf path decodes reflectively into the same shape (metrics are not the hot path).
import { noDistribution, type Attributes, type MetricPoint, type MetricType, type ResourceIdentity, type Temporality } from '../model/index.js';
import { attributeViolation, type RejectionLog } from './attributes.js';
import { ItemLimitError, OtlpDecodeError } from './errors.js';
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
  resourceAttributes,
  scopeName,
  stringField,
  type JsonObject,
} from './json-values.js';
import type { IngestLimits } from './limits.js';
import { MAX_TIME_MS, timeViolation } from './request-bounds.js';
import { resourceIdentity } from './semconv.js';
import type { ValueLimits } from './wire-values.js';

const TEMPORALITIES: readonly Temporality[] = ['unspecified', 'delta', 'cumulative'];
const TEMPORALITY_NAMES = ['AGGREGATION_TEMPORALITY_UNSPECIFIED', 'AGGREGATION_TEMPORALITY_DELTA', 'AGGREGATION_TEMPORALITY_CUMULATIVE'];

export interface MetricsContext {
  limits: IngestLimits;
  rejections: RejectionLog;
  metrics: MetricPoint[];
  seen: number;
}

interface MetricHead {
  identity: ResourceIdentity;
  resourceAttributes: Attributes;
  name: string;
  description: string;
  unit: string;
  type: MetricType;
  temporality: Temporality;
  isMonotonic: boolean;
}

const DATA_FIELDS: ReadonlyArray<[MetricType, string, string]> = [
  ['gauge', 'gauge', 'gauge'],
  ['sum', 'sum', 'sum'],
  ['histogram', 'histogram', 'histogram'],
  ['exponential_histogram', 'exponentialHistogram', 'exponential_histogram'],
  ['summary', 'summary', 'summary'],
];

export function decodeMetricsShape(request: JsonObject, ctx: MetricsContext): void {
  objectsOf(arrayField(request, 'resourceMetrics', 'resource_metrics', 'request'), 'resourceMetrics').forEach((rm, i) => {
    const where = `resourceMetrics[${i}]`;
    const warn = (reason: string): void => ctx.rejections.warn(reason);
    const resourceAttrs = resourceAttributes(rm, where, ctx.limits, warn);
    const identity = resourceIdentity(resourceAttrs);
    objectsOf(arrayField(rm, 'scopeMetrics', 'scope_metrics', where), `${where}.scopeMetrics`).forEach((sm, j) => {
      const at = `${where}.scopeMetrics[${j}]`;
      scopeName(sm, at, ctx.limits, warn);
      objectsOf(arrayField(sm, 'metrics', undefined, at), `${at}.metrics`).forEach((m, k) =>
        readMetric(m, identity, resourceAttrs, ctx, `${at}.metrics[${k}]`),
      );
    });
  });
}

function readMetric(m: JsonObject, identity: ResourceIdentity, resourceAttrs: Attributes, ctx: MetricsContext, where: string): void {
  for (const [type, camel, snake] of DATA_FIELDS) {
    const data = field(m, camel, snake);
    if (data === undefined || data === null) continue;
    if (!isObject(data)) throw new OtlpDecodeError(`${where}.${camel} must be an object`);
    const head: MetricHead = {
      identity,
      resourceAttributes: resourceAttrs,
      name: stringField(m, 'name', undefined, where),
      description: stringField(m, 'description', undefined, where),
      unit: stringField(m, 'unit', undefined, where),
      type,
      temporality: TEMPORALITIES[enumField(data, 'aggregationTemporality', 'aggregation_temporality', TEMPORALITY_NAMES, where)] ?? 'unspecified',
      isMonotonic: field(data, 'isMonotonic', 'is_monotonic') === true,
    };
    objectsOf(arrayField(data, 'dataPoints', 'data_points', `${where}.${camel}`), `${where}.${camel}.dataPoints`).forEach((p, n) => {
      if (++ctx.seen > ctx.limits.maxItemsPerRequest) {
        ctx.rejections.reject(`request has more than ingest.maxItemsPerRequest=${ctx.limits.maxItemsPerRequest} data points`);
        return;
      }
      let point: MetricPoint;
      try {
        point = readPoint(head, p, `${where}.${camel}.dataPoints[${n}]`, ctx.limits);
      } catch (err) {
        if (!(err instanceof ItemLimitError)) throw err;
        ctx.rejections.reject(`data point rejected: ${err.message}`);
        return;
      }
      const problem =
        (head.name === '' ? 'metric name must not be empty' : undefined) ??
        (head.name.length > ctx.limits.maxNameLength
          ? `metric name is ${head.name.length} characters long, over the limit ingest.maxNameLength=${ctx.limits.maxNameLength}`
          : undefined) ??
        (head.description.length + head.unit.length > ctx.limits.maxAttributeValueLength
          ? `metric description and unit are over the limit ingest.maxAttributeValueLength=${ctx.limits.maxAttributeValueLength}`
          : undefined) ??
        timeViolation(point.timeMs, 'data point time_unix_nano') ??
        (point.startTimeMs >= MAX_TIME_MS ? 'data point start_time_unix_nano is after 2100-01-01' : undefined) ??
        pointValueViolation(point) ??
        attributeViolation(point.attributes, ctx.limits, `data point of "${head.name.slice(0, 200)}"`);
      if (problem) ctx.rejections.reject(problem);
      else ctx.metrics.push(point);
    });
    return;
  }
  // A metric with no data field carries no points: nothing to store, nothing to reject.
}

function readPoint(head: MetricHead, p: JsonObject, where: string, limits: ValueLimits): MetricPoint {
  const point: MetricPoint = {
    service: head.identity.service,
    serviceVersion: head.identity.serviceVersion,
    environment: head.identity.environment,
    name: head.name,
    description: head.description,
    unit: head.unit,
    type: head.type,
    temporality: head.temporality,
    isMonotonic: head.isMonotonic,
    timeMs: nanosField(p, 'timeUnixNano', 'time_unix_nano', where),
    startTimeMs: nanosField(p, 'startTimeUnixNano', 'start_time_unix_nano', where),
    attributes: attributesField(p, 'attributes', undefined, where, limits),
    resourceAttributes: head.resourceAttributes,
    value: 0,
    ...noDistribution(),
  };
  if (head.type === 'gauge' || head.type === 'sum') {
    const asInt = field(p, 'asInt', 'as_int');
    point.value = asInt !== undefined && asInt !== null ? int64Field(p, 'asInt', 'as_int', where) : (numberField(p, 'asDouble', 'as_double', where) ?? 0);
    return point;
  }
  point.count = int64Field(p, 'count', undefined, where);
  point.sum = numberField(p, 'sum', undefined, where) ?? 0;
  point.min = numberField(p, 'min', undefined, where) ?? NaN;
  point.max = numberField(p, 'max', undefined, where) ?? NaN;
  if (head.type === 'histogram') {
    point.bucketCounts = numbers(arrayField(p, 'bucketCounts', 'bucket_counts', where), `${where}.bucketCounts`);
    point.explicitBounds = numbers(arrayField(p, 'explicitBounds', 'explicit_bounds', where), `${where}.explicitBounds`);
  } else if (head.type === 'exponential_histogram') {
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
  return point;
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
