// A local HTTP site on 127.0.0.1 for the synthetic check suites: it answers every request as the
// suite says and keeps each request's headers, so a test can see the trace context a check sent.
import { createServer, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SiteAnswer {
  status: number;
  contentType: string;
  body: string;
}

export interface LocalSite {
  /** The address of `path` on the site. */
  url(path?: string): string;
  /** The headers of every request so far, oldest first. */
  readonly headers: IncomingHttpHeaders[];
  close(): void;
}

export async function startLocalSite(answer: (req: IncomingMessage) => SiteAnswer): Promise<LocalSite> {
  const headers: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    headers.push(req.headers);
    const { status, contentType, body } = answer(req);
    res.writeHead(status, { 'content-type': contentType });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: (path = '/') => `${origin}${path}`, headers, close: () => server.close() };
}
