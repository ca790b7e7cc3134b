// The listeners' settings: timeouts that disconnect slow or stalled clients (a half-sent body must
// not hold a socket and its buffers for minutes), TLS when a certificate is configured, and listen
// failures (a busy port) turned into start-up errors the operator can act on.
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { createSecureContext } from 'node:tls';
import type { VigilConfig } from '../config/index.js';
import { StartupError } from './startup-error.js';

type ServerSection = VigilConfig['server'];
export type ServerTimeouts = ServerSection['timeouts'];

export interface ListenerSettings {
  tls?: { cert: Buffer; key: Buffer };
  timeouts: ServerTimeouts;
}

/** Idle keep-alive connections between requests (Fastify's default: longer than common proxies' 60 s). */
const keepAliveMs = 72_000;
/** gRPC: ping an idle client this often, and drop it when the ping is not answered in time. */
const grpcKeepaliveMs = 60_000;
const grpcKeepaliveTimeoutMs = 20_000;
/** gRPC: a connection is closed (after its calls' grace) this long after it opened, so a stalled call cannot hold it forever. */
const grpcMaxConnectionAgeMs = 30 * 60_000;

/** Reads and checks the certificate and key once, before anything slow starts. */
export async function listenerSettings(server: Readonly<ServerSection>): Promise<ListenerSettings> {
  if (!server.tls) return { timeouts: server.timeouts };
  const [cert, key] = await Promise.all([readPem(server.tls.cert, 'cert'), readPem(server.tls.key, 'key')]);
  try {
    createSecureContext({ cert, key });
  } catch (err) {
    throw new StartupError(
      'VIGIL_TLS_INVALID',
      `server.tls: ${server.tls.cert} and ${server.tls.key} are not a PEM certificate and its private key (${(err as Error).message})`,
    );
  }
  return { tls: { cert, key }, timeouts: server.timeouts };
}

async function readPem(path: string, which: 'cert' | 'key'): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    throw new StartupError('VIGIL_TLS_INVALID', `cannot read server.tls.${which} ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/**
 * The HTTP(S) server under a Fastify instance (its `serverFactory`). Node enforces the header and
 * whole-request limits (408, then close); a request whose body stops arriving is cut after
 * `bodyIdleMs` of silence, while a request already received may take as long as its handler needs.
 */
export function httpServerFactory(settings: ListenerSettings): (handler: http.RequestListener) => http.Server {
  return (handler) => {
    const t = settings.timeouts;
    const limits = {
      headersTimeout: t.headersMs,
      requestTimeout: t.requestMs,
      keepAliveTimeout: keepAliveMs,
      // Node checks the two limits above on this period (default 30 s): keep it under them.
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(t.headersMs / 4))),
    };
    const server = settings.tls
      ? (https.createServer({ ...limits, ...settings.tls, handshakeTimeout: t.headersMs }, handler) as unknown as http.Server)
      : http.createServer(limits, handler);
    const receiving = new WeakMap<Socket, http.IncomingMessage>();
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      receiving.set(req.socket, req);
      // Answered before its body arrived (401, 413): Node then waits for the rest under the long
      // keep-alive timeout; a client that stopped sending must still be cut after bodyIdleMs.
      res.once('finish', () => {
        if (!req.complete) req.socket.setTimeout(t.bodyIdleMs);
      });
    });
    server.setTimeout(t.bodyIdleMs);
    server.on('timeout', (socket: Socket) => {
      const req = receiving.get(socket);
      if (!req?.complete) socket.destroy();
    });
    return server;
  };
}

/** grpc-js channel options: drop idle and unresponsive connections, bound how long one lives. */
export function grpcConnectionOptions(settings: ListenerSettings): Record<string, number> {
  return {
    'grpc.max_connection_idle_ms': settings.timeouts.grpcIdleMs,
    'grpc.keepalive_time_ms': grpcKeepaliveMs,
    'grpc.keepalive_timeout_ms': grpcKeepaliveTimeoutMs,
    'grpc.max_connection_age_ms': grpcMaxConnectionAgeMs,
    'grpc.max_connection_age_grace_ms': settings.timeouts.requestMs,
  };
}

export interface ListenTarget {
  /** What listens, as the operator knows it: API, OTLP/HTTP, OTLP/gRPC. */
  role: string;
  host: string;
  port: number;
  /** The flag that moves it elsewhere. */
  flag: string;
}

/** Runs `listen`, turning a busy or forbidden address into a one-line StartupError. */
export async function listenOrExplain<T>(target: ListenTarget, listen: () => Promise<T>): Promise<T> {
  try {
    return await listen();
  } catch (err) {
    const text = `${(err as NodeJS.ErrnoException).code ?? ''} ${(err as Error).message}`;
    const at = `${target.host}:${target.port} (${target.role})`;
    if (/EADDRINUSE|address already in use/i.test(text)) {
      throw new StartupError('VIGIL_PORT_IN_USE', `port ${target.port} (${target.role}) is in use: stop the other process or pass ${target.flag}`);
    }
    const reason = /EACCES|EADDRNOTAVAIL|ENOTFOUND|EAI_AGAIN/.exec(text)?.[0];
    if (reason) throw new StartupError('VIGIL_LISTEN_FAILED', `cannot listen on ${at}: ${reason}: pass another ${target.flag} or --host`);
    throw err;
  }
}
