// A real HTTP receiver on 127.0.0.1 for notification tests: records every request and answers
// with scripted statuses (fail N times, then succeed), like a flaky chat webhook would.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

export class HttpReceiver {
  readonly requests: ReceivedRequest[] = [];
  /** Statuses to answer next, in order; 200 once exhausted (unless `defaultStatus` says otherwise). */
  readonly script: number[] = [];
  defaultStatus = 200;
  /** Answers what the script does not: an API-shaped receiver validates and answers here. */
  respond: ((req: Omit<ReceivedRequest, 'status'>) => { status: number; body: unknown }) | undefined;
  private waiters: Array<() => void> = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<HttpReceiver> {
    let receiver: HttpReceiver | undefined = undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const r = receiver;
        if (!r) return;
        const request = { path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        const scripted = r.script.shift();
        const answer = scripted === undefined && r.respond ? r.respond(request) : undefined;
        const status = answer?.status ?? scripted ?? r.defaultStatus;
        r.requests.push({ ...request, status });
        if (answer) res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
        else res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'receiver failure');
        for (const w of r.waiters) w();
      });
    });
    receiver = new HttpReceiver(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  url(path = '/hook'): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  /** Requests answered with a 2xx. */
  accepted(): ReceivedRequest[] {
    return this.requests.filter((r) => r.status < 300);
  }

  /** Resolves when `predicate` holds over the recorded requests; rejects after `timeoutMs`. */
  async waitUntil(predicate: (r: HttpReceiver) => boolean, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`receiver: condition not met in ${timeoutMs} ms (${this.requests.length} requests)`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 50));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      this.waiters = [];
    }
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
