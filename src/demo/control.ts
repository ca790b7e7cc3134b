// The demo's control API (what `vigil demo fault` talks to): list the fault catalog and the
// active faults, inject a fault, clear it, and see traffic counters. Local only (127.0.0.1).

import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { faultCatalog } from '../sim/index.js';

export interface ControlTarget {
  inject(name: string): Promise<unknown>;
  clear(name: string): Promise<unknown>;
  activeFaults(): unknown;
  status(): unknown;
}

export const CONTROL_PREFIX = '/_control';

export async function startControlServer(target: ControlTarget, port: number): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => void route(target, req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return { server, url: `http://127.0.0.1:${actual}` };
}

async function route(target: ControlTarget, req: IncomingMessage, res: ServerResponse): Promise<void> {
  req.resume();
  const path = (req.url ?? '').split('?')[0] ?? '';
  const send = (status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  try {
    if (req.method === 'GET' && path === `${CONTROL_PREFIX}/faults`) {
      const catalog = Object.values(faultCatalog).map((f) => ({ name: f.name, summary: f.summary, truth: f.truth }));
      return send(200, { catalog, active: target.activeFaults() });
    }
    if (req.method === 'GET' && path === `${CONTROL_PREFIX}/status`) return send(200, target.status());
    const m = /^\/_control\/faults\/([a-z0-9-]+)(\/clear)?$/.exec(path);
    if (req.method === 'POST' && m?.[1]) {
      const name = m[1];
      if (!faultCatalog[name]) return send(404, { error: `unknown fault "${name}"`, known: Object.keys(faultCatalog) });
      const result = m[2] ? await target.clear(name) : await target.inject(name);
      if (result === undefined) return send(409, { error: `fault "${name}" is not active` });
      return send(200, result);
    }
    send(404, { error: 'not found' });
  } catch (err) {
    send(500, { error: err instanceof Error ? err.message : String(err) });
  }
}
