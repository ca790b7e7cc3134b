// The web UI end to end in real Chromium (Debian's, driven by playwright-core) against an
// in-process Vigil that replays a payment deploy exhausting its DB pool in event time: log in,
// open the incident from home, see the root cause, click the error spike on the service chart to
// the traces of that minute and into the waterfall, search logs by trace id, acknowledge and
// resolve; the webhook's deep link opens the incident (after login when there is no session).
// Also: per-version charts with deploy markers, the trace's and each span's logs inline, attribute
// search, the histogram, live tail, keyboard shortcuts, the dark theme and the list pages filled
// (web-ui-states.test.ts has the empty Vigil and a slow panel).
// Every page is screenshotted to test-results/ui/ (gitignored) and audited with axe-core.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { resolveConfig } from '../../src/config/index.js';
import type { LogRecord } from '../../src/model/index.js';
import { HttpReceiver } from '../../src/notify/testing/http-receiver.js';
import { startVigil, type RunningVigil } from '../../src/server.js';
import { simulateShop } from '../../src/sim/index.js';
import { auditPage as audit, launchChromium, logIn, screenshotDir, settled } from '../support/browser.js';
import { freePort, TEST_KEY } from '../support/vigil-process.js';

const T0 = Date.UTC(2026, 10, 3, 13, 0, 0);
// 12 min of history is what the detectors need before they judge a route; the fault then opens
// its incident about 2 min in, and 4 min of it give the charts a clear spike.
const warmupMs = 12 * 60_000;
const deployAt = T0 + warmupMs;

void describe('web UI in Chromium against a replayed fault', () => {
  let dir: string;
  let vigil: RunningVigil;
  let team: HttpReceiver;
  let browser: Browser;
  let base: string;
  let lastLog: LogRecord | undefined;
  let shots: string;
  const auditPage = (page: Page, name: string): Promise<void> => audit(page, shots, name);
  const api = async <T>(path: string, init: RequestInit = {}): Promise<T> =>
    (await (
      await fetch(`${base}${path}`, { ...init, headers: { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'application/json', ...init.headers } })
    ).json()) as T;

  before(async () => {
    const startedAt = Date.now();
    shots = screenshotDir('ui');
    dir = mkdtempSync(join(tmpdir(), 'vigil-ui-'));
    mkdirSync(join(dir, 'checks'));
    // A heartbeat check: the checks page lists it without any network (a job pings it).
    writeFileSync(join(dir, 'checks', 'jobs.yaml'), 'checks:\n  - { name: nightly export, kind: heartbeat, every: 1h, grace: 1h }\n');
    team = await HttpReceiver.start();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    writeFileSync(
      join(dir, 'vigil.yaml'),
      [
        'server:',
        `  publicUrl: ${base}/`,
        'notify:',
        '  coalesceMs: 0',
        '  channels:',
        `    - { name: team, type: webhook, url: "${team.url('/in')}", secret: "team-secret-0123456789" }`,
        '  routes: [{ services: ["*"], channels: [team] }]',
        '',
      ].join('\n'),
    );
    const [started, launched] = await Promise.all([
      startVigil(
        resolveConfig(
          {
            config: join(dir, 'vigil.yaml'),
            data: join(dir, 'data'),
            checks: join(dir, 'checks'),
            port,
            host: '127.0.0.1',
            otlpPort: 0,
            otlpGrpcPort: 0,
            clock: 'event',
            logLevel: 'warn',
          },
          { VIGIL_API_KEY: TEST_KEY },
        ),
      ),
      launchChromium(),
    ]);
    vigil = started;
    browser = launched;
    for (const b of simulateShop({
      seed: 11,
      startMs: T0,
      durationMs: warmupMs + 4 * 60_000,
      rps: 4,
      stepMs: 10_000,
      faults: [{ name: 'pool-exhaustion-deploy', atMs: deployAt }],
    })) {
      for (const c of b.changes) await vigil.pipeline.recordChange({ ...c, source: 'api' });
      await vigil.ingest(b);
      // Payment's own line (its resource, its version), so the live tail's lines add no deploy.
      lastLog = b.logs.findLast((l) => l.service === 'payment') ?? lastLog;
    }
    process.stdout.write(`# replayed the fault and launched Chromium in ${((Date.now() - startedAt) / 1000).toFixed(1)} s\n`);
  });
  after(async () => {
    await browser?.close();
    await vigil?.stop();
    await team?.close();
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });

  void it('takes the on-call developer from login to the cause and through the incident', async () => {
    const { incidents } = await api<{ incidents: Array<{ id: string; title: string; startedAt: string }> }>('/api/v1/incidents?status=open');
    assert.equal(incidents.length, 1, 'the replayed fault opened one incident');
    const incident = incidents[0]!;
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && !/401|Unauthorized/.test(m.text()) && pageErrors.push(m.text()));

    // Login: one password field; a wrong key is refused, the right one lands on home.
    await page.goto(`${base}/`);
    assert.equal(await page.locator('input').and(page.locator(':not([type=hidden])')).count(), 1, 'one visible field');
    assert.equal(await page.locator('input[type=password]').count(), 1);
    await auditPage(page, '00-login');
    await page.fill('input[type=password]', 'not-a-key');
    await page.click('button[type=submit]');
    await page.locator('text=That key is unknown').waitFor();
    await logIn(page);
    const cookie = (await context.cookies()).find((c) => c.name === 'vigil_session');
    assert.ok(cookie?.httpOnly && cookie.sameSite === 'Strict', `session cookie ${JSON.stringify(cookie)}`);

    // Home: the open incident first; open it.
    const incidentLink = page.getByRole('link', { name: new RegExp(`#${incident.id} `) }).first();
    await incidentLink.waitFor();
    await page.locator('#services-h').waitFor();
    await page.locator('#services-h ~ *, #services-h').first().waitFor();
    await settled(page);
    // Home answers "is it safe to stop watching?" first: no, with the incident open; each service as the API judges it.
    const judged = await api<{ overall: { level: string }; services: Array<{ service: string; level: string; score: number; reasons: string[] }> }>(
      '/api/v1/confidence',
    );
    const held = judged.services.filter((s) => s.reasons.some((r) => r.includes(`incident #${incident.id} (`))).sort((a, b) => a.score - b.score)[0];
    assert.ok(held && held.level === 'low' && judged.overall.level === 'low', JSON.stringify(judged));
    assert.match(await page.locator('[data-overall]').innerText(), new RegExp(`^No\\b.*${held.service}`));
    const row = page.locator(`[data-confidence="${held.service}"]`);
    assert.deepEqual([await row.getAttribute('data-level'), (await row.innerText()).includes(String(held.score))], ['low', true]);
    await auditPage(page, '01-home');
    await incidentLink.click();
    await page.waitForURL(`${base}/incidents/${incident.id}`);

    // Incident: the blamed deploy of payment is the top root cause, with evidence.
    const topCause = page.locator('[data-root-cause]').first();
    await topCause.waitFor();
    assert.equal(await topCause.getAttribute('data-root-cause'), 'payment:bad-deploy');
    assert.match(await topCause.innerText(), /2\.3\.0/);
    await settled(page);
    await auditPage(page, '02-incident');

    // From the cause to the service's charts over the incident's range; click the error spike.
    await topCause.getByRole('link', { name: 'payment' }).click();
    await page.waitForURL(/\/services\/payment\?/);
    const chart = page.locator('figure.chart', { hasText: 'Errors % by route' }).first();
    await chart.locator('.u-over').waitFor();
    const url = new URL(page.url());
    const red = await api<{ series: Array<{ points: Array<{ timeMs: number; errorRate: number }> }> }>(
      `/api/v1/red?service=payment&groupBy=route&from=${url.searchParams.get('from')}&to=${url.searchParams.get('to')}`,
    );
    const spike = red.series.flatMap((s) => s.points).sort((a, b) => b.errorRate - a.errorRate)[0]!;
    assert.ok(spike.errorRate > 0.05, `an error spike on payment (${spike.errorRate})`);
    // Per version, with the deploy marked: the old and the new version side by side; back to per route.
    await page.getByRole('button', { name: 'By version' }).click();
    const byVersion = page.locator('figure.chart', { hasText: 'Errors % by version' }).first();
    await byVersion.locator('.u-over').waitFor();
    assert.equal(new URL(page.url()).searchParams.get('by'), 'version');
    const legend = await byVersion.locator('.u-legend').innerText();
    assert.ok(legend.includes('2.3.0') && legend.includes('2.2.0'), `both versions charted: ${legend}`);
    assert.match(await byVersion.locator('.chart-markers').innerText(), /deploy 2\.3\.0/);
    await page.getByRole('button', { name: 'By route' }).click();
    await byVersion.waitFor({ state: 'detached' });
    await chart.locator('.u-over').waitFor();
    const canvas = chart.locator('.chart-canvas');
    const [from, to] = [Number(await canvas.getAttribute('data-from')), Number(await canvas.getAttribute('data-to'))];
    // The store's error groups and log patterns of the service fill in once the charts are drawn.
    await page.locator('[data-error-group]').first().waitFor();
    await page.locator('[data-pattern]').first().waitFor();
    await auditPage(page, '03-service');

    // The keyboard reaches the same minute: focus the chart, move point by point (each announced), Enter.
    await canvas.focus();
    const announcer = chart.locator('[aria-live]');
    await page.keyboard.press('Home');
    assert.equal(Number(await canvas.getAttribute('data-focus-time')), from);
    assert.match(await announcer.innerText(), /^Errors % by route at .+: .+Enter opens the traces and logs of this moment\.$/);
    for (let i = 0; i < 400 && Number(await canvas.getAttribute('data-focus-time')) < spike.timeMs; i++) await page.keyboard.press('ArrowRight');
    assert.equal(Number(await canvas.getAttribute('data-focus-time')), spike.timeMs, 'the arrow keys reach the spike');
    const spoken = await announcer.innerText();
    await page.keyboard.press('ArrowLeft');
    assert.notEqual(await announcer.innerText(), spoken, 'each point is announced');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await page.locator('#moment-h').waitFor();
    assert.equal(Number(new URL(page.url()).searchParams.get('at')), spike.timeMs, 'Enter opens the focused minute');
    await page.goBack();
    await page.locator('#moment-h').waitFor({ state: 'detached' });

    const box = (await chart.locator('.u-over').boundingBox())!;
    await page.mouse.move(box.x + 2, box.y + box.height / 2);
    const x = Math.min(box.width - 2, Math.max(1, ((spike.timeMs - from) / (to - from)) * box.width));
    await page.mouse.move(box.x + x, box.y + box.height / 2);
    await page.mouse.click(box.x + x, box.y + box.height / 2);
    const moment = page.locator('section', { has: page.locator('#moment-h') });
    await moment.waitFor();
    const at = Number(new URL(page.url()).searchParams.get('at'));
    assert.ok(
      Math.abs(at - spike.timeMs) < 60_000,
      `the clicked minute (${new Date(at).toISOString()}) is the spike's (${new Date(spike.timeMs).toISOString()})`,
    );
    // The minute's logs beside its traces, and a link to them in the log view over that minute.
    await moment.locator('h3:has-text("Logs") + ul li').first().waitFor();
    const minuteLogs = new URL(`${base}${await moment.getByRole('link', { name: '(open in the log view)' }).getAttribute('href')}`);
    assert.equal(minuteLogs.searchParams.get('service'), 'payment');
    assert.equal(Date.parse(minuteLogs.searchParams.get('to')!) - Date.parse(minuteLogs.searchParams.get('from')!), 60_000);
    const failingTrace = moment.locator('ul.moment-traces').first().locator('a').first();
    await failingTrace.waitFor();
    await failingTrace.click();

    // The waterfall: spans, an error, the critical path.
    await page.waitForURL(/\/traces\/[0-9a-f]{32}/);
    await page.locator('.waterfall .wrow').first().waitFor();
    assert.ok((await page.locator('.waterfall .bar.err').count()) > 0, 'the failing trace shows its error span');
    assert.ok((await page.locator('.waterfall .bar.crit').count()) > 0, 'a critical path is highlighted');
    assert.equal(await page.locator('.waterfall .dur').count(), await page.locator('.waterfall .wrow').count(), 'each span shows its duration');
    await settled(page);
    // The trace's logs inline, each linked to its span; the selected (failing) span's own lines in its details.
    const traceId = /\/traces\/([0-9a-f]{32})/.exec(page.url())![1]!;
    const spanLinks: string[] = await page.$$eval('section[aria-labelledby=trace-logs-h] a', (links: Array<{ getAttribute(name: string): string | null }>) =>
      links.map((a) => a.getAttribute('href') ?? ''),
    );
    assert.ok(spanLinks.length > 0 && spanLinks.every((h) => h.startsWith(`/traces/${traceId}?span=`)), `the trace's logs inline: ${spanLinks.join(' ')}`);
    assert.ok((await page.locator('.span-logs li').count()) > 0, "the failing span's own log lines");
    await auditPage(page, '04-trace');

    // Logs by trace id, through the search form.
    const ctx = await api<{ context: { logs: Array<{ traceId: string }> } }>(`/api/v1/incidents/${incident.id}`);
    const logTrace = ctx.context.logs.find((l) => l.traceId)!.traceId;
    await page.goto(`${base}/logs`);
    await page.fill('input[name=traceId]', logTrace);
    await page.click('form[role=search] button[type=submit]');
    await page.waitForURL(new RegExp(`traceId=${logTrace}`));
    // Read every link in one go (the virtual list may re-render between separate reads), until the
    // search's answer has replaced the unfiltered lines shown before it: every line the trace's.
    const onlyTrace = (hrefs: string[]): boolean => hrefs.length > 0 && hrefs.every((h) => h.startsWith(`/traces/${logTrace}`));
    const readLinks = (): Promise<string[]> =>
      page.$$eval('.vrow a', (links: Array<{ getAttribute(name: string): string | null }>) => links.map((a) => a.getAttribute('href') ?? ''));
    let traceLinks = await readLinks();
    for (let i = 0; i < 200 && !onlyTrace(traceLinks); i++) {
      await new Promise((r) => setTimeout(r, 50));
      traceLinks = await readLinks();
    }
    assert.ok(onlyTrace(traceLinks), `only the trace’s lines, linked to it: ${traceLinks.slice(0, 5).join(' ')}`);
    await settled(page);
    assert.ok((await page.locator('.hist button').count()) > 0, 'a histogram of the matches');
    await auditPage(page, '05-logs');

    // Attribute search, typed in the form, kept in the URL, answered as the API answers it.
    await page.fill('input[name=traceId]', '');
    await page.fill('input[name=attrs]', 'http.response.status_code=502');
    await page.click('form[role=search] button[type=submit]');
    await page.waitForURL(/attr\.http\.response\.status_code=502/);
    const failed502 = await api<{ logs: Array<{ body: string }> }>('/api/v1/logs?attr.http.response.status_code=502&limit=1');
    assert.ok(failed502.logs.length > 0, 'the replay logged 502s');
    await page.locator('.vrow .body', { hasText: failed502.logs[0]!.body }).first().waitFor();
    await settled(page);
    assert.equal(await page.locator('.vrow .body').first().innerText(), failed502.logs[0]!.body, 'the newest 502 line first');
    assert.equal(await page.inputValue('input[name=attrs]'), 'http.response.status_code=502', 'the form shows the filter of the URL');
    // A histogram bar narrows the search to its time.
    await page.locator('.hist button').first().click();
    await page.waitForURL(/[?&]from=.*[?&]to=|[?&]to=.*[?&]from=/);

    // Live tail: a line that arrives while the view is open appears at the top without a reload.
    await page.goto(`${base}/logs?service=payment&tail=1`);
    await page.locator('.vrow').first().waitFor();
    const marker = `live tail marker ${Date.now()}`;
    const newest = Date.parse((await api<{ to: string }>('/api/v1/services')).to);
    const line = (timeMs: number, body: string): LogRecord => ({
      ...lastLog!,
      timeMs,
      observedTimeMs: timeMs,
      body,
      traceId: '',
      spanId: '',
    });
    await vigil.ingest({ spans: [], metrics: [], logs: [line(newest + 1000, marker), line(newest + 5000, 'a later line')] });
    await page.locator('.vrow', { hasText: marker }).waitFor({ timeout: 15_000 });

    // Acknowledge, then resolve, from the incident page.
    await page.goto(`${base}/incidents/${incident.id}`);
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await page.locator('.badge', { hasText: 'acknowledged' }).first().waitFor();
    await page.getByRole('button', { name: 'Resolve' }).click();
    await page.locator('.badge', { hasText: 'resolved' }).first().waitFor();
    const after = await api<{ status: string; timeline: Array<{ kind: string }> }>(`/api/v1/incidents/${incident.id}`);
    assert.equal(after.status, 'resolved');
    // An error group opens the log search for every line of its kind over the incident's range (text search by its fixed words).
    await page.locator('section[aria-labelledby=errors-h] tbody tr').first().locator('td:nth-child(2) a').click();
    await page.waitForURL(/\/logs\?.*q=.*from=/);
    const words = (new URL(page.url()).searchParams.get('q') ?? '').toLowerCase().split(' ');
    await page.locator('.vrow .body').first().waitFor();
    await settled(page);
    const bodies: string[] = await page.$$eval('.vrow .body', (els: Array<{ textContent: string | null }>) =>
      els.map((e) => (e.textContent ?? '').toLowerCase()),
    );
    assert.ok(words.length > 2 && bodies.length > 0 && bodies.every((b) => words.every((w) => b.includes(w))), `${words.join(' ')} in ${bodies[0]}`);
    // Home says all is clear since that incident was resolved.
    await page.goto(`${base}/`);
    await page.locator('.allclear').waitFor();
    await settled(page);
    assert.match(await page.locator('.allclear').innerText(), new RegExp(`All clear\\s+since .+\\(incident #${incident.id} resolved`));

    // Keyboard: g then l opens the logs, / puts the cursor in the search, g then h goes home.
    await page.locator('h1').click();
    await page.keyboard.press('g');
    await page.keyboard.press('l');
    await page.waitForURL(`${base}/logs`);
    await page.locator('[data-search]').waitFor(); // the logs page's own chunk has rendered
    await page.keyboard.press('/');
    assert.equal(await page.evaluate<string | null>("document.activeElement && document.activeElement.getAttribute('name')"), 'q');
    await page.locator('h1').click();
    for (const key of ['g', 'h']) await page.keyboard.press(key);
    await page.waitForURL(`${base}/`);

    // The list pages show what exists: the failed deploy, the heartbeat check, an SLO made now.
    const { deployments } = await api<{ deployments: Array<{ service: string; version?: string; verdict?: { status: string } }> }>('/api/v1/deployments');
    const failedDeploy = deployments.find((d) => d.service === 'payment' && d.version === '2.3.0');
    assert.ok(failedDeploy?.verdict, JSON.stringify(deployments));
    await api('/api/v1/slos', {
      method: 'POST',
      body: JSON.stringify({ name: 'payment-availability', service: 'payment', objective: 'availability', target: 0.9, window: '30d' }),
    });
    const { slos } = await api<{ slos: Array<{ name: string; status: string }> }>('/api/v1/slos');
    const { checks } = await api<{ checks: Array<{ name: string; status: string }> }>('/api/v1/checks');
    // Each row is found by its cells: [path, column, text exactly, more text in the row, status].
    const filled: Array<[string, number, string, string, string]> = [
      ['/deployments', 2, 'payment', '2.3.0', failedDeploy.verdict.status],
      ['/checks', 1, 'nightly export', 'heartbeat', checks.find((c) => c.name === 'nightly export')?.status ?? 'missing'],
      ['/slos', 1, 'payment-availability', 'payment', slos.find((x) => x.name === 'payment-availability')?.status ?? 'missing'],
    ];
    for (const [path, column, name, more, status] of filled) {
      await page.goto(`${base}${path}`);
      const listed = page
        .locator('main tbody tr')
        .filter({ has: page.locator(`td:nth-child(${column})`, { hasText: new RegExp(`^${name}$`) }) })
        .filter({ hasText: more })
        .first();
      await listed.waitFor();
      assert.equal(await listed.locator('.badge').first().innerText(), status, `${path}: ${name} ${more} listed as the API has it`);
    }

    // The map: every node with the health the API gives it (an uninstrumented database too), each call an arrow; a node opens its service.
    const graph = await api<{ nodes: Array<{ name: string; health: string; requests: number }>; edges: Array<{ caller: string; callee: string }> }>(
      '/api/v1/service-map',
    );
    assert.ok(
      graph.nodes.some((n) => n.name === 'payment-db' && n.requests > 0) && graph.edges.some((e) => e.caller === 'payment' && e.callee === 'payment-db'),
    );
    await page.goto(`${base}/map`);
    await page.locator('.map svg a').first().waitFor();
    for (const n of graph.nodes)
      assert.match(
        (await page.locator(`.map svg a[href="/services/${n.name}"]`).getAttribute('aria-label')) ?? '',
        new RegExp(`^${n.name} \\(.+\\): ${n.health},`),
      );
    assert.equal(await page.locator('.map svg line').count(), graph.edges.length);
    await page.locator('.map svg a[href="/services/payment"]').click();
    await page.waitForURL(`${base}/services/payment`);

    // The other pages render (with honest empty states where nothing exists) and pass the audit.
    for (const [name, path, ready] of [
      ['06-map', '/map', '.map svg'],
      ['07-deployments', '/deployments', 'main table'],
      ['08-checks', '/checks', 'main table'],
      ['09-slos', '/slos', 'main table'],
      ['10-incidents', '/incidents', 'main table'],
      ['11-services', '/services', 'main table'],
      [
        '12-patterns',
        `/logs?service=payment&view=patterns&from=${new Date(deployAt).toISOString()}&to=${new Date(deployAt + 4 * 60_000).toISOString()}`,
        '#patterns-h',
      ],
    ] as const) {
      await page.goto(`${base}${path}`);
      await page.locator(ready).first().waitFor();
      await settled(page);
      await auditPage(page, name);
    }
    // The pattern view (still open from the loop): the pool's waiting line is new since the deploy, the order lines are known.
    assert.ok((await page.locator('[data-pattern=new]', { hasText: 'payment-db connection' }).count()) > 0, 'the new pattern flagged');
    assert.ok((await page.locator('[data-pattern=known]', { hasText: 'Charged' }).count()) > 0, 'a pattern seen before is not');
    assert.ok(['light', 'dark'].includes(await page.evaluate<string>('document.documentElement.dataset.theme')), 'a theme is applied');

    // The dark theme: the switch applies it, a reload keeps it, and the main pages pass the audit in it.
    const theme = (): Promise<string> => page.evaluate<string>('document.documentElement.dataset.theme');
    // The switch applies the theme in an effect after the click's render: poll for it.
    const themeBecomes = async (want: string): Promise<void> => {
      for (let i = 0; i < 100 && (await theme()) !== want; i++) await new Promise((r) => setTimeout(r, 50));
      assert.equal(await theme(), want);
    };
    await page.goto(`${base}/`);
    await page.locator('[data-overall]').waitFor();
    assert.equal(await theme(), 'light', "headless Chromium prefers light, and the app follows the OS's choice");
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    await themeBecomes('dark');
    await page.reload();
    await page.locator('[data-overall]').waitFor();
    assert.equal(await theme(), 'dark', 'the choice outlives a reload');
    assert.equal(await page.evaluate<string>('getComputedStyle(document.body).backgroundColor'), 'rgb(13, 17, 23)', "the dark theme's background");
    for (const [name, path, ready] of [
      ['13-home-dark', '/', '[data-overall]'],
      ['14-incident-dark', `/incidents/${incident.id}`, '[data-root-cause]'],
      ['15-service-dark', `/services/payment?from=${url.searchParams.get('from')}&to=${url.searchParams.get('to')}`, 'figure.chart .u-over'],
      ['16-trace-dark', `/traces/${traceId}`, '.waterfall .wrow'],
      ['17-map-dark', '/map', '.map svg'],
    ] as const) {
      await page.goto(`${base}${path}`);
      await page.locator(ready).first().waitFor();
      await settled(page);
      await auditPage(page, name);
    }
    await page.getByRole('button', { name: 'Switch to light theme' }).click();
    await themeBecomes('light');
    assert.deepEqual(pageErrors, [], 'no script error on any page');
    await context.close();
  });

  void it('opens the page a notification links to, after login when there is no session', async () => {
    const sent = team.requests.map((r) => r.body).join('\n');
    const links = [...sent.matchAll(/"(http:\/\/127\.0\.0\.1:\d+\/incidents\/[^"]+)"/g)].map((m) => m[1]!);
    assert.ok(
      links.length > 0 && links[0]!.startsWith(`${base}/incidents/`),
      `the webhook carried an incident link on server.publicUrl: ${sent.slice(0, 300)}`,
    );
    const traceLink = /"(http:\/\/127\.0\.0\.1:\d+\/traces\/[0-9a-f]{32})"/.exec(sent)?.[1];
    const logsLink = /"(http:\/\/127\.0\.0\.1:\d+\/logs\?[^"]+)"/.exec(sent)?.[1];
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(links[0]!);
    await logIn(page);
    await page.waitForURL(links[0]!);
    await page.locator('[data-root-cause]').first().waitFor();
    assert.match(await page.locator('h1').innerText(), /^#\d+ /);
    if (traceLink) {
      await page.goto(traceLink);
      await page.locator('.waterfall .wrow').first().waitFor();
    }
    if (logsLink) {
      await page.goto(logsLink.replace(/&amp;/g, '&'));
      await page.locator('.vrow, main .empty').first().waitFor();
    }
    assert.ok(traceLink && logsLink, 'the payload also links a trace and the logs');
    await context.close();
  });
});
