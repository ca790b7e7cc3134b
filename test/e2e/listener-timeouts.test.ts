// Black-box, in process: slow and stalled clients are disconnected on both HTTP ports (half-sent
// headers, a body that stops, with or without a key, a body trickled past the request limit) and
// an idle gRPC connection is closed, each within the configured time; kept-alive clients are not.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resolveConfig } from '../../src/config/index.js';
import { startVigil, type RunningVigil } from '../../src/server.js';
import { TEST_KEY } from '../support/vigil-process.js';

const timeouts = { headersMs: 1000, requestMs: 3000, bodyIdleMs: 1000, grpcIdleMs: 1000 };
/** Node checks the header and request limits every headersMs / 4; the rest is scheduling slack. */
const slackMs = 1500;

interface Outcome {
  closedAfterMs: number;
  received: string;
}

/** Opens a raw connection, lets `talk` write to it, and resolves when the server closes it. */
function untilClosed(port: number, talk: (socket: Socket) => void, giveUpMs = 20_000): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    const t0 = Date.now();
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the connection open for ${giveUpMs} ms; it sent: ${JSON.stringify(received)}`));
    }, giveUpMs);
    socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ closedAfterMs: Date.now() - t0, received });
    });
    socket.on('connect', () => talk(socket));
  });
}

describe('listener timeouts (black box, in process)', () => {
  let dir: string;
  let vigil: RunningVigil;
  let ports: { api: number; otlp: number; grpc: number };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-timeouts-'));
    const config = join(dir, 'vigil.yaml');
    writeFileSync(config, `server:\n  timeouts: ${JSON.stringify(timeouts)}\n`);
    vigil = await startVigil(
      resolveConfig({ config, data: join(dir, 'data'), port: 0, otlpPort: 0, otlpGrpcPort: 0, logLevel: 'silent' }, { VIGIL_API_KEY: TEST_KEY }),
    );
    ports = { api: Number(new URL(vigil.apiUrl).port), otlp: Number(new URL(vigil.otlpHttpUrl).port), grpc: vigil.otlpGrpcPort };
  });
  after(async () => {
    await vigil.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });

  const requests = {
    api: { port: () => ports.api, path: '/api/v1/changes' },
    otlp: { port: () => ports.otlp, path: '/v1/traces' },
  };

  for (const [name, target] of Object.entries(requests)) {
    it(`${name}: half-sent headers are cut after headersMs`, async () => {
      const r = await untilClosed(target.port(), (s) => s.write(`POST ${target.path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n`));
      assert.ok(r.closedAfterMs < timeouts.headersMs + slackMs, `closed after ${r.closedAfterMs} ms`);
    });

    for (const key of [null, TEST_KEY]) {
      it(`${name}: headers and half a body ${key ? 'with' : 'without'} a key are cut after bodyIdleMs`, async () => {
        const auth = key ? `Authorization: Bearer ${key}\r\n` : '';
        const r = await untilClosed(target.port(), (s) =>
          s.write(`POST ${target.path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n${auth}Content-Length: 1000\r\n\r\n{"resourceSpans":[`),
        );
        assert.ok(r.closedAfterMs < timeouts.bodyIdleMs + slackMs, `closed after ${r.closedAfterMs} ms`);
      });
    }

    it(`${name}: a body trickled slower than requestMs allows is cut after requestMs`, async () => {
      let trickle: NodeJS.Timeout | undefined;
      const r = await untilClosed(target.port(), (s) => {
        s.write(
          `POST ${target.path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer ${TEST_KEY}\r\nContent-Length: 1000\r\n\r\n`,
        );
        trickle = setInterval(() => s.write(' '), timeouts.bodyIdleMs / 4);
      });
      clearInterval(trickle);
      assert.ok(r.closedAfterMs >= timeouts.requestMs - 100 && r.closedAfterMs < timeouts.requestMs + slackMs, `closed after ${r.closedAfterMs} ms`);
    });
  }

  it('a kept-alive API connection idle longer than bodyIdleMs still serves its next request', async () => {
    const socket = connect(ports.api, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    let received = '';
    socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
    const ask = `GET /api/v1/health HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TEST_KEY}\r\n\r\n`;
    socket.write(ask);
    await new Promise((r) => setTimeout(r, timeouts.bodyIdleMs * 2));
    socket.write(ask);
    await new Promise((r) => setTimeout(r, 1000));
    socket.destroy();
    assert.equal(received.match(/HTTP\/1\.1 200/g)?.length, 2, received.slice(0, 300));
  });

  it('gRPC: a connection without calls is closed after grpcIdleMs', async () => {
    // The HTTP/2 client preface and an empty SETTINGS frame: a session with no stream.
    const preface = Buffer.concat([Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1'), Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0])]);
    const r = await untilClosed(ports.grpc, (s) => s.write(preface));
    assert.ok(r.closedAfterMs < timeouts.grpcIdleMs + slackMs, `closed after ${r.closedAfterMs} ms`);
  });
});
