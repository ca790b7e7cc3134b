// The tcp kind: can a connection be opened to host:port within the timeout.
import { connect } from 'node:net';
import type { TcpCheck } from '../schema.js';
import { remainingMs, type CheckRunner } from './context.js';
import { describeFetchError } from './http-request.js';

export const runTcpCheck: CheckRunner<TcpCheck> = (check, ctx) =>
  new Promise((resolve) => {
    const t0 = ctx.now();
    const name = `connect ${check.host}:${check.port}`;
    const socket = connect({ host: check.host, port: check.port });
    const done = (error?: string): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ steps: [{ name, ok: !error, durationMs: ctx.now() - t0, error, assertions: [] }], details: { connectMs: ctx.now() - t0 } });
    };
    const timer = setTimeout(() => done('timed out'), remainingMs(ctx));
    socket.once('connect', () => done());
    socket.once('error', (err) => done(describeFetchError(Object.assign(new Error(err.message), { cause: err }), 0)));
  });
