// The web UI's states beside the happy path, in real Chromium against a `vigil start` that has
// received nothing: the newcomer's home (run the demo or send data) and each list's honest empty
// state; and a slow read (the services panel held back by the browser) that blocks nothing else
// on the page and is cancelled when the user moves on. Screenshots go to test-results/ui-states/.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { auditPage, launchChromium, logIn, screenshotDir, settled } from '../support/browser.js';
import { startVigilProcess, type VigilProcess } from '../support/vigil-process.js';

void describe('web UI on a Vigil that has received nothing', () => {
  let empty: VigilProcess;
  let browser: Browser;
  let shots: string;

  before(async () => {
    shots = screenshotDir('ui-states');
    [empty, browser] = await Promise.all([startVigilProcess(), launchChromium()]);
  });
  after(async () => {
    await browser?.close();
    await empty?.stop();
    empty?.cleanup();
  });

  void it('tells a newcomer to run the demo or send data, and each list says plainly what would fill it', async () => {
    const page = await browser.newPage();
    await page.goto(`${empty.api}/`);
    await logIn(page);
    await page.locator('h1', { hasText: 'Welcome to Vigil' }).waitFor();
    const welcome = await page.locator('main .empty').innerText();
    assert.ok(welcome.includes('vigil demo') && welcome.includes('OTLP'), welcome);
    await auditPage(page, shots, '00-empty-home');
    for (const [path, says] of [
      ['/deployments', 'POST /api/v1/deployments'],
      ['/checks', 'vigil start --checks DIR'],
      ['/slos', 'POST /api/v1/slos'],
      ['/map', 'No span has arrived yet'],
      ['/logs', 'No log line matches'],
      ['/incidents', 'No incident yet'],
    ] as const) {
      await page.goto(`${empty.api}${path}`);
      await page.locator('main .empty').first().waitFor();
      assert.ok((await page.locator('main .empty').first().innerText()).includes(says), `${path} says: ${says}`);
    }
    await auditPage(page, shots, '01-empty-incidents');
    await page.close();
  });

  void it('shows the rest of a page while one read is slow, and cancels that read when the page goes', async () => {
    const page = await browser.newPage();
    await page.goto(`${empty.api}/`);
    await logIn(page);
    await page.waitForURL(`${empty.api}/`);
    // The welcome shows once every read of home has answered: none is left for the next load to cut.
    await page.locator('h1', { hasText: 'Welcome to Vigil' }).waitFor();
    await settled(page);
    // From now on the services read is held for up to 10 s; the rest of home must not wait for it.
    let release = (): void => undefined;
    const held = new Promise<void>((r) => (release = r));
    await page.route('**/api/v1/services', async (route) => {
      await Promise.race([held, new Promise((r) => setTimeout(r, 10_000))]);
      await route.continue().catch(() => undefined);
    });
    const aborted: string[] = [];
    page.on('requestfailed', (r) => new URL(r.url()).pathname === '/api/v1/services' && aborted.push(r.failure()?.errorText ?? '?'));
    await page.goto(`${empty.api}/`);
    const slow = page.locator('[role=status]', { hasText: 'Loading services' });
    await slow.waitFor();
    await page.locator('.allclear', { hasText: 'no incident has been opened' }).waitFor();
    await page.locator('section[aria-labelledby=deploys-h] .empty').waitFor();
    assert.equal(await slow.count(), 1, 'the incidents and deploys are shown while the services read is still out');
    await auditPage(page, shots, '02-home-loading');
    // Leaving the page (an in-app link) cancels the read still out.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Logs' }).click();
    await page.waitForURL(`${empty.api}/logs`);
    for (let i = 0; i < 100 && !aborted.length; i++) await new Promise((r) => setTimeout(r, 50));
    release();
    assert.deepEqual(aborted, ['net::ERR_ABORTED'], 'the services read was cancelled');
    await page.close();
  });
});
