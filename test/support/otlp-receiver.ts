// A bare OTLP/HTTP receiver for tests of exporters (the demo shop): records decoded spans and
// counts requests per path, answering every export with 200.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { decodeTraces } from '../../src/ingest/traces.js';
import type { Span } from '../../src/model/telemetry.js';

export interface OtlpReceiver {
  server: Server;
  url: string;
  spans: Span[];
  requests: Map<string, number>;
  close(): Promise<void>;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: Span[] = [];
  const requests = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '';
      requests.set(path, (requests.get(path) ?? 0) + 1);
      if (path === '/v1/traces') spans.push(...decodeTraces(Buffer.concat(chunks), 'protobuf').spans);
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  return {
    server,
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    spans,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function waitUntil(what: string, probe: () => boolean, timeoutMs = 30_000): Promise<void> {
  const t0 = Date.now();
  while (!probe()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
