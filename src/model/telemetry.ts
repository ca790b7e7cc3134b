// Telemetry as Vigil sees it after decoding OTLP: flat records with the OpenTelemetry semantic
// conventions lifted into named fields, everything else kept as string maps.
// Times are epoch milliseconds as floats (sub-microsecond precision for current dates).

/** Attribute maps are stored as strings: OTLP values are stringified (arrays/maps as JSON). */
export type Attributes = Record<string, string>;

export type SpanKind = 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';
export type SpanStatusCode = 'unset' | 'ok' | 'error';

/** Who emitted a record: from OTLP resource attributes. */
export interface ResourceIdentity {
  service: string; // service.name ('unknown_service' when absent, per the spec)
  serviceVersion: string; // service.version ('' when absent)
  environment: string; // deployment.environment.name or deployment.environment
}

export interface SpanEvent {
  timeMs: number;
  name: string;
  attributes: Attributes;
}

export interface SpanLink {
  traceId: string;
  spanId: string;
  attributes: Attributes;
}

export interface Span extends ResourceIdentity {
  traceId: string; // 32 lowercase hex
  spanId: string; // 16 lowercase hex
  parentSpanId: string; // '' for a root span
  name: string;
  kind: SpanKind;
  startTimeMs: number;
  durationMs: number;
  statusCode: SpanStatusCode;
  statusMessage: string;
  scopeName: string;
  // Semantic conventions, '' or 0 when absent.
  httpMethod: string; // http.request.method (older http.method)
  httpRoute: string; // http.route
  httpStatusCode: number; // http.response.status_code (older http.status_code)
  dbSystem: string; // db.system.name / db.system
  dbNamespace: string; // db.namespace / db.name
  dbOperation: string; // db.operation.name / db.operation
  /** The remote side of a client span: service.peer.name, peer.service, db.namespace or server.address. */
  peerService: string;
  userId: string; // enduser.id (or the configured user attribute)
  /** First exception event of the span, if any. */
  exceptionType: string;
  exceptionMessage: string;
  exceptionStacktrace: string;
  resourceAttributes: Attributes;
  attributes: Attributes;
  events: SpanEvent[];
  links: SpanLink[];
}

export interface LogRecord extends ResourceIdentity {
  timeMs: number; // timeUnixNano, or observedTimeUnixNano when that is 0
  observedTimeMs: number;
  severityNumber: number; // 0..24 per the OTLP log data model
  severityText: string;
  body: string; // string bodies as is; structured bodies as JSON
  traceId: string; // '' when not correlated
  spanId: string;
  scopeName: string;
  userId: string;
  exceptionType: string; // exception.type attribute
  exceptionMessage: string;
  exceptionStacktrace: string;
  resourceAttributes: Attributes;
  attributes: Attributes;
}

export type MetricType = 'sum' | 'gauge' | 'histogram' | 'exponential_histogram' | 'summary';
export type Temporality = 'unspecified' | 'delta' | 'cumulative';

export interface MetricPoint extends ResourceIdentity {
  name: string;
  description: string;
  unit: string;
  type: MetricType;
  temporality: Temporality;
  isMonotonic: boolean;
  timeMs: number;
  startTimeMs: number;
  attributes: Attributes;
  resourceAttributes: Attributes;
  /** sum and gauge: the value; histogram kinds: the sum divided by count is not stored here. */
  value: number;
  // histogram, exponential histogram and summary
  count: number;
  sum: number;
  min: number; // NaN when absent
  max: number; // NaN when absent
  bucketCounts: number[]; // explicit histogram
  explicitBounds: number[];
  expScale: number; // exponential histogram
  expZeroCount: number;
  expPositiveOffset: number;
  expPositiveCounts: number[];
  expNegativeOffset: number;
  expNegativeCounts: number[];
  quantiles: Array<{ quantile: number; value: number }>; // summary
}

/** The fields of a point that only histograms and summaries fill. */
export type MetricDistribution = Pick<
  MetricPoint,
  | 'count'
  | 'sum'
  | 'min'
  | 'max'
  | 'bucketCounts'
  | 'explicitBounds'
  | 'expScale'
  | 'expZeroCount'
  | 'expPositiveOffset'
  | 'expPositiveCounts'
  | 'expNegativeOffset'
  | 'expNegativeCounts'
  | 'quantiles'
>;

/** A sum or gauge carries no distribution: zero counts, NaN min and max (absent), no buckets. Fresh arrays on every call. */
export function noDistribution(): MetricDistribution {
  return {
    count: 0,
    sum: 0,
    min: Number.NaN,
    max: Number.NaN,
    bucketCounts: [],
    explicitBounds: [],
    expScale: 0,
    expZeroCount: 0,
    expPositiveOffset: 0,
    expPositiveCounts: [],
    expNegativeOffset: 0,
    expNegativeCounts: [],
    quantiles: [],
  };
}

// The two literals below are written out without spreads: ingest builds one per item it decodes,
// and a spread inside an object literal makes that several times slower.

/** A span with every field at its empty value (one object shape for all spans); fresh objects and arrays on every call. */
export function emptySpan(): Span {
  return {
    service: '',
    serviceVersion: '',
    environment: '',
    traceId: '',
    spanId: '',
    parentSpanId: '',
    name: '',
    kind: 'unspecified',
    startTimeMs: 0,
    durationMs: 0,
    statusCode: 'unset',
    statusMessage: '',
    scopeName: '',
    httpMethod: '',
    httpRoute: '',
    httpStatusCode: 0,
    dbSystem: '',
    dbNamespace: '',
    dbOperation: '',
    peerService: '',
    userId: '',
    exceptionType: '',
    exceptionMessage: '',
    exceptionStacktrace: '',
    resourceAttributes: {},
    attributes: {},
    events: [],
    links: [],
  };
}

/** A log record with every field at its empty value (one object shape for all records); fresh objects on every call. */
export function emptyLogRecord(): LogRecord {
  return {
    service: '',
    serviceVersion: '',
    environment: '',
    timeMs: 0,
    observedTimeMs: 0,
    severityNumber: 0,
    severityText: '',
    body: '',
    traceId: '',
    spanId: '',
    scopeName: '',
    userId: '',
    exceptionType: '',
    exceptionMessage: '',
    exceptionStacktrace: '',
    resourceAttributes: {},
    attributes: {},
  };
}
