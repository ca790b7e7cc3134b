// One protobufjs Root holding the OTLP definitions: used for the reflective metrics decoder, for
// encoding Export responses and google.rpc.Status, and by tests to build requests by hand.
import protobuf from 'protobufjs';
import {
  collectorLogsProto,
  collectorMetricsProto,
  collectorProto,
  commonProto,
  logsProto,
  metricsProto,
  resourceProto,
  rpcStatusProto,
  traceProto,
} from './definitions.js';

function buildRoot(): protobuf.Root {
  const root = new protobuf.Root();
  for (const text of [
    commonProto,
    resourceProto,
    traceProto,
    logsProto,
    metricsProto,
    collectorProto,
    collectorLogsProto,
    collectorMetricsProto,
    rpcStatusProto,
  ]) {
    protobuf.parse(text, root, { keepCase: false });
  }
  root.resolveAll();
  return root;
}

export const otlpRoot = buildRoot();

export const otlpTypes = {
  traceRequest: otlpRoot.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest'),
  traceResponse: otlpRoot.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse'),
  logsRequest: otlpRoot.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest'),
  logsResponse: otlpRoot.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse'),
  metricsRequest: otlpRoot.lookupType('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest'),
  metricsResponse: otlpRoot.lookupType('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse'),
  status: otlpRoot.lookupType('google.rpc.Status'),
  retryInfo: otlpRoot.lookupType('google.rpc.RetryInfo'),
} as const;
