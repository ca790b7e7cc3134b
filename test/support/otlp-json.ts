// Builders of OTLP/JSON export requests for black-box tests (beside the real SDK exporters, which
// the ingest tests use): small, explicit payloads whose every field a test can check.
import { randomBytes } from 'node:crypto';

export const hexId = (bytes: number): string => randomBytes(bytes).toString('hex');
type AnyValue = { stringValue: string } | { intValue: string } | { boolValue: boolean } | { doubleValue: number };
export const attr = (key: string, v: string | number | boolean): { key: string; value: AnyValue } => ({
  key,
  value:
    typeof v === 'string' ? { stringValue: v } : typeof v === 'boolean' ? { boolValue: v } : Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v },
});
export const nanos = (ms: number): string => (BigInt(Math.round(ms * 1000)) * 1000n).toString();

export interface JsonSpan {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  name?: string;
  kind?: number;
  startMs: number;
  durationMs?: number;
  error?: boolean;
  attributes?: Record<string, string | number | boolean>;
}

export function traceRequest(service: string, version: string, spans: JsonSpan[], extraResource: Record<string, string> = {}): Record<string, unknown> {
  return {
    resourceSpans: [
      {
        resource: {
          attributes: [
            attr('service.name', service),
            attr('service.version', version),
            attr('deployment.environment.name', 'production'),
            ...Object.entries(extraResource).map(([k, v]) => attr(k, v)),
          ],
        },
        scopeSpans: [
          {
            scope: { name: 'test' },
            spans: spans.map((s) => ({
              traceId: s.traceId ?? hexId(16),
              spanId: s.spanId ?? hexId(8),
              parentSpanId: s.parentSpanId ?? '',
              name: s.name ?? 'GET /items',
              kind: s.kind ?? 2,
              startTimeUnixNano: nanos(s.startMs),
              endTimeUnixNano: nanos(s.startMs + (s.durationMs ?? 10)),
              attributes: Object.entries(s.attributes ?? {}).map(([k, v]) => attr(k, v)),
              status: s.error ? { code: 2, message: 'failed' } : {},
            })),
          },
        ],
      },
    ],
  };
}

export function logRequest(
  service: string,
  records: Array<{ timeMs: number; body: string; severity?: number; traceId?: string; spanId?: string; attributes?: Record<string, string | number> }>,
): Record<string, unknown> {
  return {
    resourceLogs: [
      {
        resource: { attributes: [attr('service.name', service), attr('service.version', '1.0.0')] },
        scopeLogs: [
          {
            scope: { name: 'test' },
            logRecords: records.map((r) => ({
              timeUnixNano: nanos(r.timeMs),
              severityNumber: r.severity ?? 9,
              severityText: (r.severity ?? 9) >= 17 ? 'ERROR' : 'INFO',
              body: { stringValue: r.body },
              traceId: r.traceId ?? '',
              spanId: r.spanId ?? '',
              attributes: Object.entries(r.attributes ?? {}).map(([k, v]) => attr(k, v)),
            })),
          },
        ],
      },
    ],
  };
}
