// `vigil deploy watch` as a CI gate: it follows the verdict the API reports (served here by a local
// HTTP server answering in the contract's shape) and exits 0 pass, 1 fail, 2 inconclusive, timed
// out or unreachable; --version picks the deployment; a blip after the first answer is waited out.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { CliError } from '../command.js';
import { deployCommand } from './deploy.js';

describe('vigil deploy watch', () => {
  let server: Server;
  let url = '';
  /** What the API answers next, per service: a queue of verdict statuses for its newest deployment. */
  const script = new Map<string, string[]>();
  let asked = 0;

  before(async () => {
    server = createServer((req, res) => {
      asked++;
      const u = new URL(req.url ?? '/', 'http://x');
      assert.equal(req.headers.authorization, 'Bearer k');
      const service = u.searchParams.get('service') ?? '';
      const queue = script.get(service) ?? [];
      // `watching:3` is a watching verdict whose summary says 3 (its progress).
      const [status, progress] = (queue.length > 1 ? queue.shift()! : (queue[0] ?? '')).split(':');
      // A Vigil restarting mid-watch (503) or a key revoked (401).
      if (status === 'down' || status === 'unauthorized') {
        res.statusCode = status === 'down' ? 503 : 401;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ error: { code: status === 'down' ? 'VIGIL_UNAVAILABLE' : 'VIGIL_UNAUTHORIZED', message: status } }));
        return;
      }
      const deployments = status
        ? [
            {
              id: 'd2',
              service,
              version: 'v2',
              time: '2026-03-02T12:00:00.000Z',
              verdict: {
                status,
                summary: `${status} summary${progress ? ` ${progress}` : ''}`,
                evidence: [{ signal: 'latency', summary: 'p95 30 ms → 61 ms (+103%)', failing: status === 'fail' }],
              },
            },
            { id: 'd1', service, version: 'v1', time: '2026-03-01T12:00:00.000Z', verdict: { status: 'pass', summary: 'old', evidence: [] } },
          ]
        : [];
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ deployments }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  after(() => new Promise((r) => server.close(r)));

  const watch = (...args: string[]): Promise<number> => deployCommand.run(['watch', '--url', url, '--key', 'k', '--interval', '20ms', ...args]);

  it('exits 0 on pass, 1 on fail, 2 on inconclusive', async () => {
    script.set('a', ['pass']);
    script.set('b', ['fail']);
    script.set('c', ['inconclusive']);
    assert.equal(await watch('--service', 'a'), 0);
    assert.equal(await watch('--service', 'b'), 1);
    assert.equal(await watch('--service', 'c'), 2);
  });

  it('follows a watching verdict until it is decided', async () => {
    script.set('d', ['watching', 'watching', 'watching', 'fail']);
    asked = 0;
    assert.equal(await watch('--service', 'd', '--timeout', '10s'), 1);
    assert.ok(asked >= 4);
  });

  it('watches the named version, waits for a deployment to appear, and gives up at the timeout with 2', async () => {
    script.set('e', ['fail']);
    assert.equal(await watch('--service', 'e', '--version', 'v1'), 0, 'v1 passed even though the newest failed');
    script.set('f', ['watching']);
    const started = Date.now();
    assert.equal(await watch('--service', 'f', '--timeout', '200ms'), 2);
    assert.ok(Date.now() - started < 5_000);
    assert.equal(await watch('--service', 'nothing-yet', '--timeout', '100ms'), 2);
  });

  it('waits out a Vigil that stops answering mid-watch (restart, 5xx), but not a refused key', async () => {
    script.set('g', ['watching', 'down', 'down', 'fail']);
    assert.equal(await watch('--service', 'g', '--timeout', '10s'), 1, 'the verdict after the blip decides');
    script.set('h', ['watching', 'down']);
    const started = Date.now();
    await assert.rejects(watch('--service', 'h', '--timeout', '300ms'), (e: unknown) => e instanceof CliError && e.exitCode === 2);
    assert.ok(Date.now() - started < 5_000, 'gives up at the timeout');
    script.set('i', ['watching', 'unauthorized']);
    await assert.rejects(watch('--service', 'i', '--timeout', '1h'), (e: unknown) => e instanceof CliError && e.exitCode === 2 && /401/.test(e.message));
  });

  it("prints a new status at once and a watching verdict's progress at most once a minute", async (t) => {
    const printed: string[] = [];
    t.mock.method(console, 'log', (line: string) => printed.push(line));
    script.set('j', ['watching:1', 'watching:2', 'watching:3', 'down', 'down', 'watching:4', 'pass']);
    assert.equal(await watch('--service', 'j', '--timeout', '10s'), 0);
    assert.deepEqual(
      printed.map((l) => l.replace(/^\S+ /, '')),
      [
        'j v2 watching: watching summary 1',
        'GET /api/v1/deployments?service=j&limit=50 answered 503 VIGIL_UNAVAILABLE: down; asking again',
        'j v2 pass: pass summary',
        '  · latency: p95 30 ms → 61 ms (+103%)',
      ],
    );
  });

  it('misuse and an unreachable Vigil are exit 2', async () => {
    await assert.rejects(watch('--timeout', '1m'), (e: unknown) => e instanceof CliError && e.exitCode === 2 && /service/.test(e.message));
    await assert.rejects(watch('--service', 'a', '--timeout', 'soon'), (e: unknown) => e instanceof CliError && e.exitCode === 2);
    await assert.rejects(
      deployCommand.run(['watch', '--url', 'http://127.0.0.1:9', '--key', 'k', '--service', 'a']),
      (e: unknown) => e instanceof CliError && e.exitCode === 2,
    );
  });
});
