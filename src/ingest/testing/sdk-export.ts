// Sends telemetry through a real OpenTelemetry SDK exporter once and shuts it down, for the
// receiver suites (HTTP and gRPC) that check what each official exporter's requests become.
import type { ExportResult } from '@opentelemetry/core';

export interface OneShotExporter<T> {
  export(items: T, done: (r: ExportResult) => void): void;
  shutdown(): Promise<void>;
}

/** The exporter's result for `items`, after the exporter has shut down. */
export function exportWith<T>(exporter: OneShotExporter<T>, items: T): Promise<ExportResult> {
  return new Promise<ExportResult>((resolve) => exporter.export(items, resolve)).then(async (r) => {
    await exporter.shutdown();
    return r;
  });
}
