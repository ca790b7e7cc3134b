// OTLP answers in the request's encoding: Export*ServiceResponse (with partialSuccess when items
// were rejected, or with a rejected count of 0 and a message when something was only cut: the
// spec's warning form; unset otherwise) and google.rpc.Status for errors.
import { otlpTypes } from './proto/root.js';
import type { OtlpEncoding, OtlpSignal, Rejections } from './types.js';

const REJECTED_FIELD: Record<OtlpSignal, string> = { traces: 'rejectedSpans', logs: 'rejectedLogRecords', metrics: 'rejectedDataPoints' };
const RESPONSE_TYPE = { traces: otlpTypes.traceResponse, logs: otlpTypes.logsResponse, metrics: otlpTypes.metricsResponse } as const;

export const CONTENT_TYPE: Record<OtlpEncoding, string> = { protobuf: 'application/x-protobuf', json: 'application/json' };

/** The gRPC status codes OTLP uses (also the `code` of google.rpc.Status over HTTP). */
export const GrpcCode = { OK: 0, INVALID_ARGUMENT: 3, RESOURCE_EXHAUSTED: 8, UNIMPLEMENTED: 12, INTERNAL: 13, UNAVAILABLE: 14, UNAUTHENTICATED: 16 } as const;

export function rejectionMessage(rejected: Rejections): string {
  const more = rejected.count > 1 ? ` (${rejected.count} items rejected)` : '';
  return rejected.reasons.join('; ') + more;
}

/** The response message as a plain object (protobufjs fromObject input / the JSON body). */
export function exportResponseObject(signal: OtlpSignal, rejected: Rejections): Record<string, unknown> {
  if (rejected.count === 0 && rejected.reasons.length === 0) return {};
  return { partialSuccess: { [REJECTED_FIELD[signal]]: String(rejected.count), errorMessage: rejectionMessage(rejected) } };
}

export function encodeExportResponse(signal: OtlpSignal, rejected: Rejections, encoding: OtlpEncoding): Buffer {
  const object = exportResponseObject(signal, rejected);
  if (encoding === 'json') return Buffer.from(JSON.stringify(object));
  const type = RESPONSE_TYPE[signal];
  return Buffer.from(type.encode(type.fromObject(object)).finish());
}

export function encodeStatus(code: number, message: string, encoding: OtlpEncoding): Buffer {
  if (encoding === 'json') return Buffer.from(JSON.stringify({ code, message }));
  return Buffer.from(otlpTypes.status.encode(otlpTypes.status.fromObject({ code, message })).finish());
}
