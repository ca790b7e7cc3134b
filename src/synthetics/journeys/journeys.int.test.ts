// TypeScript browser journeys, as a team writes them, in real Chromium: a `*.journey.ts` file (with
// a local .ts helper imported NodeNext-style) loads without a build, passes against a local shop
// with its steps, durations, Web Vitals and trace context recorded, then fails at the right step
// and line after the page breaks, with a screenshot; `vigil checks run` prints it like a test
// runner and exits 1; syntax, definition-shape and secret errors name the file and line; and the
// types a user gets from vigil-qa/journeys accept a journey and reject a wrong one.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { repoRoot } from '../../../test/support/paths.js';
import { loadChecks } from '../load.js';
import { typescript } from './transpile.js';
import { runCheck } from '../run.js';
import { runVigil } from '../../cli/testing/run-vigil.js';
import { startLocalSite, type LocalSite } from '../testing/local-site.js';

const shop = (broken: boolean): string => `<!doctype html><html><head><title>Shop</title></head><body>
<h1>Demo shop</h1>
<form onsubmit="event.preventDefault(); document.getElementById('out').textContent = ${broken ? "'Something went wrong'" : "'Results for ' + document.getElementById('q').value"};">
  <input id="q" name="q"><button id="go" type="submit">Search</button>
</form><p id="out"></p></body></html>`;

// Line numbers matter: the failure test expects the toHaveText call on line 14.
const journeyFile = `import { defineJourney, type JourneyHelpers } from 'vigil-qa/journeys';
import { searchFor } from './support/search.js';

interface Query { text: string }
const query: Query = { text: 'keyboard' };

export default defineJourney(
  { name: 'shop search', service: 'shop', every: '5m', timeout: '30s', smoke: true, tags: ['search'], secrets: ['SHOP_URL'] },
  async ({ page, step, expect, secrets }: JourneyHelpers<'SHOP_URL'>) => {
    await step('open the shop', async () => {
      await page.goto(secrets.SHOP_URL);
      await expect(page).toHaveTitle('Shop');
    });
    await step('search', async () => { await searchFor(page, query.text); await expect(page.locator('#out')).toHaveText('Results for keyboard', { timeout: 1_500 }); });
  },
);
`;

const helperFile = `import type { Page } from 'vigil-qa/journeys';
export async function searchFor(page: Page, text: string): Promise<void> {
  await page.fill('#q', text);
  await page.click('#go');
}
`;

describe('TypeScript browser journeys in Chromium', () => {
  let site: LocalSite;
  let url: string;
  let broken = false;
  let dir: string;
  let artifacts: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-journeys-'));
    artifacts = join(dir, 'artifacts');
    mkdirSync(join(dir, 'checks', 'support'), { recursive: true });
    writeFileSync(join(dir, 'checks', 'search.journey.ts'), journeyFile);
    writeFileSync(join(dir, 'checks', 'support', 'search.ts'), helperFile);
    site = await startLocalSite(() => ({ status: 200, contentType: 'text/html', body: shop(broken) }));
    url = site.url();
  });
  after(() => {
    site.close();
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });

  it('loads without a build and passes, with its steps, durations, web vitals and trace context', async () => {
    const { checks, problems } = await loadChecks(join(dir, 'checks'), { SHOP_URL: url });
    assert.deepEqual(problems, []);
    assert.equal(checks.length, 1, 'the helper file is not a journey');
    const { check } = checks[0]!;
    assert.equal(check.kind, 'browser');
    assert.deepEqual(
      [check.name, check.service, check.every, check.timeout, check.smoke, check.tags],
      ['shop search', 'shop', 300_000, 30_000, true, ['search']],
    );
    const r = await runCheck(check, { artifactsDir: artifacts });
    assert.equal(r.ok, true, JSON.stringify(r.steps));
    assert.deepEqual(
      r.steps.map((s) => [s.name, s.ok, s.assertions.length]),
      [
        ['open the shop', true, 1],
        ['search', true, 1],
      ],
    );
    assert.ok(r.steps.every((s) => s.durationMs > 0 && s.durationMs <= r.durationMs));
    assert.equal(typeof r.details.lcpMs, 'number');
    assert.equal(typeof r.details.cls, 'number');
    assert.equal(site.headers.at(-1)!['x-vigil-synthetic'], '1');
    assert.match(String(site.headers.at(-1)!.traceparent), new RegExp(`^00-${r.traceId}-`));
    assert.equal(r.details.screenshot, undefined, 'no screenshot for a pass');
  });

  it('fails after the page breaks at the step and line that broke, with a screenshot; the CLI prints it and exits 1', async () => {
    broken = true;
    const { checks } = await loadChecks(join(dir, 'checks'), { SHOP_URL: url });
    const [r, cli] = await Promise.all([
      runCheck(checks[0]!.check, { artifactsDir: artifacts }),
      runVigil(['checks', 'run', '--checks', 'checks'], dir, { SHOP_URL: url }),
    ]);
    assert.equal(r.ok, false);
    assert.equal(r.error, `search: locator('#out') toHaveText (search.journey.ts:14): expected "Results for keyboard", got "Something went wrong"`);
    assert.deepEqual(
      r.steps.map((s) => [s.name, s.ok]),
      [
        ['open the shop', true],
        ['search', false],
      ],
    );
    const shot = String(r.details.screenshot);
    assert.ok(existsSync(shot) && statSync(shot).size > 1000, `screenshot at ${shot}`);
    assert.ok(existsSync(String(r.details.trace)), 'a Playwright trace to replay');

    assert.equal(cli.status, 1, cli.stdout + cli.stderr);
    assert.match(cli.stdout, /^✗ shop search \(browser\) \d+ ms/m);
    assert.match(cli.stdout, /^ {4}✓ open the shop \d+ ms$/m);
    assert.match(cli.stdout, /^ {4}✗ search \d+ ms$/m);
    assert.match(cli.stdout, /^ {6}locator\('#out'\) toHaveText \(search\.journey\.ts:14\): expected "Results for keyboard", got "Something went wrong"$/m);
    assert.match(cli.stdout, /^ {4}screenshot: vigil-check-artifacts\/shop_search-.*\.png$/m);
    assert.match(cli.stdout, /^0 passed, 1 failed$/m);
  });

  it('names the file and line of a syntax error, a wrongly shaped definition, a missing secret and a missing export', async () => {
    const bad = join(dir, 'bad');
    mkdirSync(bad);
    writeFileSync(
      join(bad, 'syntax.journey.ts'),
      `import { defineJourney } from 'vigil-qa/journeys';\nexport default defineJourney({ name: 'a' }, async ({ page }) => {\n  await page.goto('x'\n});\n`,
    );
    writeFileSync(
      join(bad, 'shape.journey.ts'),
      `import { defineJourney } from 'vigil-qa/journeys';\n\nexport default defineJourney(\n  {\n    name: 'b',\n    every: 5 as unknown as string,\n    smoke: 'yes' as unknown as boolean,\n  },\n  async () => {},\n);\n`,
    );
    writeFileSync(
      join(bad, 'secret.journey.mjs'),
      `export const journey = {\n  name: 'c',\n  secrets: ['VIGIL_TEST_UNSET_SECRET'],\n};\nexport default async function () {}\n`,
    );
    writeFileSync(join(bad, 'empty.journey.ts'), `export const x: number = 1;\n`);
    const { checks, problems } = await loadChecks(bad, {});
    assert.deepEqual(checks, []);
    const seen = problems.map((p) => `${p.file.replace(/.*\//, '')}:${p.line} ${p.key}`).sort();
    assert.deepEqual(seen, [
      'empty.journey.ts:1 ',
      'secret.journey.mjs:3 secrets.0',
      'shape.journey.ts:6 every',
      'shape.journey.ts:7 smoke',
      'syntax.journey.ts:4 ',
    ]);
    assert.match(problems.find((p) => p.file.endsWith('syntax.journey.ts'))!.message, /',' expected/);
    assert.match(problems.find((p) => p.key === 'secrets.0')!.message, /VIGIL_TEST_UNSET_SECRET is not set/);

    const cli = await runVigil(['checks', 'validate', bad], dir, {});
    assert.equal(cli.status, 2);
    assert.match(cli.stderr, /VIGIL_CHECKS_INVALID: .*shape\.journey\.ts:6 every: /);
  });

  it('a reload reuses unchanged journeys and re-imports them when a helper they import changes', async () => {
    const live = join(dir, 'live');
    mkdirSync(live);
    const counter = '__vigilJourneyLoads';
    writeFileSync(join(live, 'name.ts'), `export const suffix: string = 'one';\n`);
    writeFileSync(
      join(live, 'count.journey.ts'),
      `import { defineJourney } from 'vigil-qa/journeys';\nimport { suffix } from './name.js';\n(globalThis as Record<string, unknown>).${counter} = ((globalThis as Record<string, number>).${counter} ?? 0) + 1;\nexport default defineJourney({ name: \`count \${suffix}\` }, async () => {});\n`,
    );
    const names = async () => (await loadChecks(live, {})).checks.map((c) => c.check.name);
    const loads = () => (globalThis as Record<string, unknown>)[counter];
    assert.deepEqual(await names(), ['count one']);
    assert.deepEqual(await names(), ['count one']);
    assert.equal(loads(), 1, 'unchanged files are not imported again');
    writeFileSync(join(live, 'name.ts'), `export const suffix: string = 'two edited';\n`);
    assert.deepEqual(await names(), ['count two edited']);
    assert.equal(loads(), 2);
  });

  it('the types of vigil-qa/journeys accept a journey and catch a wrong field and an undeclared secret', () => {
    const ts = typescript();
    const typed = join(dir, 'typed');
    mkdirSync(typed);
    const good = join(typed, 'good.journey.ts');
    const bad = join(typed, 'bad.journey.ts');
    writeFileSync(
      good,
      journeyFile.replace(
        "import { searchFor } from './support/search.js';",
        "const searchFor = async (page: import('vigil-qa/journeys').Page, text: string) => page.fill('#q', text);",
      ),
    );
    writeFileSync(
      bad,
      `import { defineJourney } from 'vigil-qa/journeys';\nexport default defineJourney({ name: 'x', every: 5, secrets: ['A'] }, async ({ page, secrets }) => {\n  await page.goto(secrets.B);\n});\n`,
    );
    const program = ts.createProgram([good, bad], {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      target: ts.ScriptTarget.ES2022,
      types: [],
      paths: { 'vigil-qa/journeys': [join(repoRoot(), 'src/synthetics/journeys/api.ts')] },
    });
    const found = (file: string) =>
      ts
        .getPreEmitDiagnostics(program, program.getSourceFile(file))
        .map((d) => `${d.file!.getLineAndCharacterOfPosition(d.start!).line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
    assert.deepEqual(found(good), []);
    const errors = found(bad);
    assert.equal(errors.length, 2, errors.join('\n'));
    assert.match(errors[0]!, /^2: Type 'number' is not assignable to type 'string'/);
    assert.match(errors[1]!, /^3: Property 'B' does not exist/);
  });
});
