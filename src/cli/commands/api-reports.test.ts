// `vigil coverage` and `vigil report reliability` against a stand-in API answering what the server's
// routes answer (the reports built by the same pure code, as JSON): the query the CLI sends, its
// text equal to the report formatted in-process, --json as answered, and a refusal as one clear line.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it, mock } from 'node:test';
import { buildCoverageReport, formatCoverageReport } from '../../coverage/index.js';
import { reliabilityDocument, reliabilityJson, reliabilityReport } from '../../reports/index.js';
import { renderHtml, renderMarkdown } from '../../reviews/index.js';
import { CliError } from '../command.js';
import { coverageCommand } from './coverage.js';
import { reportCommand } from './report.js';

const window = { fromMs: Date.UTC(2026, 11, 5), toMs: Date.UTC(2026, 11, 6) };
const coverage = buildCoverageReport(
  {
    ...window,
    services: [
      {
        service: 'checkout',
        serverSpans: 1000,
        spans: 3000,
        httpServerSpans: 1000,
        httpServerSpansWithRoute: 900,
        http5xx: 20,
        http5xxUnmarked: 5,
        errorSpans: 25,
        logs: 500,
        logsWithTraceId: 100,
        metricPoints: 0,
        deploysRecorded: 0,
        deploysInferred: 1,
      },
    ],
    routes: [
      {
        service: 'checkout',
        method: 'POST',
        route: '/checkout',
        hasHttpRoute: true,
        requests: 500,
        http5xx: 10,
        http5xxUnmarked: 0,
        errorSpans: 10,
        correlatedLogs: 200,
      },
    ],
  },
  { slos: [], syntheticChecks: [] },
);
const reliability = reliabilityReport({
  ...window,
  history: [],
  identifiedAtMs: new Map(),
  actionItems: [],
  firstTicketMs: new Map(),
  slos: [],
  nowMs: window.toMs,
});

let server: Server;
let url = '';
const asked: string[] = [];

before(async () => {
  server = createServer((req, res) => {
    asked.push(req.url ?? '');
    const json = (status: number, value: unknown): void => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    const path = (req.url ?? '').split('?')[0];
    if (req.headers.authorization !== 'Bearer k') return json(401, { error: { code: 'VIGIL_UNAUTHORIZED', message: 'send Authorization: Bearer <key>' } });
    if ((req.url ?? '').includes('from=bad'))
      return json(400, { error: { code: 'VIGIL_BAD_REQUEST', message: 'from must be ISO-8601 or epoch milliseconds' } });
    const { fromMs, toMs, ...rest } = coverage;
    if (path === '/api/v1/coverage') return json(200, { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), ...rest });
    if (path === '/api/v1/reports/reliability') return json(200, reliabilityJson(reliability));
    return json(404, { error: { code: 'VIGIL_NOT_FOUND', message: 'no such route' } });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

/** What a command printed (console.log lines and direct writes) and its exit code. */
async function printed(run: () => Promise<number>): Promise<{ code: number; out: string }> {
  let out = '';
  const log = mock.method(console, 'log', (...a: unknown[]) => void (out += `${a.join(' ')}\n`));
  // The test runner reports through stdout in bytes meanwhile: only the command's text is captured.
  const original = process.stdout.write.bind(process.stdout);
  const write = mock.method(process.stdout, 'write', (chunk: string | Uint8Array) => (typeof chunk === 'string' ? ((out += chunk), true) : original(chunk)));
  try {
    return { code: await run(), out };
  } finally {
    log.mock.restore();
    write.mock.restore();
  }
}

/** Set once the stand-in listens. */
const api = (): string[] => ['--url', url, '--key', 'k'];

describe('vigil coverage', () => {
  it('asks for the window and journeys given, and prints the report as the coverage module formats it', async () => {
    const r = await printed(() =>
      coverageCommand.run(['--from', '2026-12-05T00:00:00Z', '--journey', 'POST /checkout', '--routes', '--url', url, '--key', 'k']),
    );
    assert.equal(asked.at(-1), '/api/v1/coverage?from=2026-12-05T00%3A00%3A00Z&journey=POST+%2Fcheckout');
    assert.deepEqual(r, { code: 0, out: `${formatCoverageReport(coverage, { routes: true })}\n` });
  });

  it('with no flags asks for the server default, and --json prints the answer as it came', async () => {
    const r = await printed(() => coverageCommand.run(['--json', ...api()]));
    assert.equal(asked.at(-1), '/api/v1/coverage');
    const { fromMs, toMs, ...rest } = coverage;
    assert.deepEqual(JSON.parse(r.out), { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), ...rest });
  });

  it("a refusal is one line with the method, path, status, VIGIL_* code and the server's reason", async () => {
    await assert.rejects(
      coverageCommand.run(['--from', 'bad', ...api()]),
      (e: unknown) =>
        e instanceof CliError && e.message === 'GET /api/v1/coverage?from=bad answered 400 VIGIL_BAD_REQUEST: from must be ISO-8601 or epoch milliseconds',
    );
    await assert.rejects(
      coverageCommand.run(['--url', url, '--key', 'wrong']),
      (e: unknown) => e instanceof CliError && e.message === 'GET /api/v1/coverage answered 401 VIGIL_UNAUTHORIZED: send Authorization: Bearer <key>',
    );
  });
});

describe('vigil report reliability', () => {
  it('prints the Markdown or HTML the reports module renders from the answer, and --json the answer', async () => {
    const md = await printed(() => reportCommand.run(['reliability', '--from', '2026-12-05', '--to', '2026-12-06', ...api()]));
    assert.equal(asked.at(-1), '/api/v1/reports/reliability?from=2026-12-05&to=2026-12-06');
    assert.deepEqual(md, { code: 0, out: renderMarkdown(reliabilityDocument(reliability)) });
    const html = await printed(() => reportCommand.run(['reliability', '--format', 'html', ...api()]));
    assert.equal(asked.at(-1), '/api/v1/reports/reliability');
    assert.equal(html.out, renderHtml(reliabilityDocument(reliability)));
    const json = await printed(() => reportCommand.run(['reliability', '--json', ...api()]));
    assert.deepEqual(JSON.parse(json.out), reliabilityJson(reliability));
  });

  it('refusals name the route, status, code and reason', async () => {
    await assert.rejects(
      reportCommand.run(['reliability', '--from', 'bad', ...api()]),
      (e: unknown) =>
        e instanceof CliError &&
        e.message === 'GET /api/v1/reports/reliability?from=bad answered 400 VIGIL_BAD_REQUEST: from must be ISO-8601 or epoch milliseconds',
    );
  });
});
