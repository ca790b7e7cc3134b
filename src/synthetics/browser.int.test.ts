// A browser journey in real Chromium (Debian's, driven by playwright-core): it passes, records
// LCP and CLS and sends the trace context; after the page breaks it fails at the right step and
// leaves a screenshot and a Playwright trace behind.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCheck } from './run.js';
import { checkSchema } from './schema.js';
import { startLocalSite, type LocalSite } from './testing/local-site.js';

const page = (broken: boolean): string => `<!doctype html><html><head><title>Shop</title></head><body>
<h1>Demo shop</h1>
<form onsubmit="event.preventDefault(); document.getElementById('out').textContent = ${broken ? "'Something went wrong'" : "'Results for ' + document.getElementById('q').value"};">
  <label>Search <input id="q" name="q"></label><button id="go" type="submit">Search</button>
</form><p id="out"></p></body></html>`;

describe('browser checks in Chromium', () => {
  let site: LocalSite;
  let url: string;
  let broken = false;
  let artifacts: string;
  before(async () => {
    artifacts = mkdtempSync(join(tmpdir(), 'vigil-browser-'));
    site = await startLocalSite(() => ({ status: 200, contentType: 'text/html', body: page(broken) }));
    url = site.url();
  });
  after(() => {
    site.close();
    rmSync(artifacts, { recursive: true, force: true });
  });

  const journey = () =>
    checkSchema.parse({
      name: 'search journey',
      kind: 'browser',
      timeout: '30s',
      steps: [{ goto: url }, { fill: '#q', value: 'keyboard' }, { click: '#go' }, { expectText: 'Results for keyboard', in: '#out' }],
    });

  it('passes, records web vitals and sends the trace context', async () => {
    const r = await runCheck(journey(), { artifactsDir: artifacts });
    assert.equal(r.ok, true, JSON.stringify(r.steps));
    assert.deepEqual(
      r.steps.map((s) => s.name),
      [`goto ${url}`, 'fill #q', 'click #go', 'expectText "Results for keyboard" in #out'],
    );
    assert.equal(typeof r.details.lcpMs, 'number');
    assert.equal(typeof r.details.cls, 'number');
    const h = site.headers.at(-1)!;
    assert.equal(h['x-vigil-synthetic'], '1');
    assert.match(String(h.traceparent), new RegExp(`^00-${r.traceId}-`));
    assert.equal(r.details.screenshot, undefined, 'no screenshot for a pass');
  });

  it('fails at the step that broke and saves a screenshot and a trace', async () => {
    broken = true;
    const r = await runCheck(journey(), { artifactsDir: artifacts });
    assert.equal(r.ok, false);
    assert.equal(r.error, 'expectText "Results for keyboard" in #out: "Results for keyboard" is not on the page in #out');
    const shot = String(r.details.screenshot);
    assert.ok(existsSync(shot) && statSync(shot).size > 1000, `screenshot at ${shot}`);
    assert.ok(existsSync(String(r.details.trace)), 'a Playwright trace to replay');
  });
});
