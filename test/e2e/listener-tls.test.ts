// Black-box, in process: with server.tls set, the API, OTLP/HTTP and OTLP/gRPC listeners serve TLS
// only. A client trusting the (self-signed, generated here) certificate gets answers, plain HTTP
// gets none, and a span exported by the OpenTelemetry gRPC exporter over TLS becomes queryable.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { SpanKind } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resolveConfig } from '../../src/config/index.js';
import { startVigil, type RunningVigil } from '../../src/server.js';
import { repoRoot } from '../support/paths.js';
import { TEST_KEY } from '../support/vigil-process.js';

const openssl = ((): boolean => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const skip = openssl ? false : 'openssl is not installed: it generates the test certificate (.ci/run installs it)';

/** GET or POST over https trusting only `ca`. */
function httpsRequest(url: string, ca: Buffer, init: { method?: string; body?: string; contentType?: string } = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: init.method ?? 'GET', ca, headers: { authorization: `Bearer ${TEST_KEY}`, ...(init.contentType ? { 'content-type': init.contentType } : {}) } },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

describe('TLS on every listener (black box, in process)', { skip }, () => {
  let dir: string;
  let vigil: RunningVigil;
  let cert: Buffer;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-tls-'));
    const [certFile, keyFile] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    cert = readFileSync(certFile);
    vigil = await startVigil(
      resolveConfig(
        { data: join(dir, 'data'), port: 0, otlpPort: 0, otlpGrpcPort: 0, logLevel: 'silent', tlsCert: certFile, tlsKey: keyFile },
        { VIGIL_API_KEY: TEST_KEY },
      ),
    );
  });
  after(async () => {
    await vigil?.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });

  it('the API and OTLP/HTTP answer over https to a client that trusts the certificate', async () => {
    assert.match(vigil.apiUrl, /^https:/);
    assert.match(vigil.otlpHttpUrl, /^https:/);
    assert.equal((await httpsRequest(`${vigil.apiUrl}/api/v1/health`, cert)).status, 200);
    const otlp = await httpsRequest(`${vigil.otlpHttpUrl}/v1/traces`, cert, { method: 'POST', body: '{"resourceSpans":[]}', contentType: 'application/json' });
    assert.equal(otlp.status, 200, otlp.text);
  });

  it('plain http gets no answer on the API or OTLP/HTTP port', async () => {
    for (const url of [vigil.apiUrl, vigil.otlpHttpUrl]) {
      const plain = url.replace(/^https:/, 'http:');
      const outcome = await fetch(`${plain}/api/v1/health`, { headers: { authorization: `Bearer ${TEST_KEY}` } }).then(
        (r) => `HTTP ${r.status}`,
        (err: Error) => `refused: ${err.message}`,
      );
      assert.doesNotMatch(outcome, /^HTTP 2/, `${plain} answered plain http: ${outcome}`);
    }
  });

  it('a certificate nobody trusts is refused (the listener really presents this certificate)', async () => {
    await assert.rejects(httpsRequest(`${vigil.apiUrl}/api/v1/health`, Buffer.from('')), /self.signed|certificate/i);
  });

  it('a span exported by the OpenTelemetry gRPC exporter over TLS becomes queryable', async () => {
    const memory = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'tls-check' }),
      spanProcessors: [new SimpleSpanProcessor(memory)],
    });
    const span = provider
      .getTracer('tls-test')
      .startSpan('GET /secure', { kind: SpanKind.SERVER, attributes: { 'http.route': '/secure', 'http.response.status_code': 200 } });
    span.end();
    const traceId = span.spanContext().traceId;
    const metadata = new grpc.Metadata();
    metadata.set('authorization', `Bearer ${TEST_KEY}`);
    const exporter = new OTLPTraceExporter({ url: `https://localhost:${vigil.otlpGrpcPort}`, metadata, credentials: grpc.credentials.createSsl(cert) });
    const result = await new Promise<ExportResult>((resolve) => exporter.export(memory.getFinishedSpans(), resolve));
    await exporter.shutdown();
    await provider.shutdown();
    assert.equal(result.code, ExportResultCode.SUCCESS, String(result.error));
    const trace = await httpsRequest(`${vigil.apiUrl}/api/v1/traces/${traceId}`, cert);
    assert.equal(trace.status, 200, trace.text);
    assert.equal((JSON.parse(trace.text) as { spans: Array<{ name: string }> }).spans[0]?.name, 'GET /secure');
  });

  it('the CLI reaches the API over https with the CA in NODE_EXTRA_CA_CERTS', async () => {
    // Asynchronously: this process serves the API the CLI calls.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(repoRoot(), 'bin/vigil.js'), 'incidents', '--url', vigil.apiUrl, '--key', TEST_KEY, '--json'],
      { env: { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem') } },
    );
    assert.doesNotThrow(() => JSON.parse(stdout), stdout);
  });

  it('plain gRPC is refused', async () => {
    const exporter = new OTLPTraceExporter({ url: `http://127.0.0.1:${vigil.otlpGrpcPort}`, metadata: new grpc.Metadata(), timeoutMillis: 3000 });
    const result = await new Promise<ExportResult>((resolve) => exporter.export([], resolve));
    await exporter.shutdown();
    assert.equal(result.code, ExportResultCode.FAILED);
  });
});
