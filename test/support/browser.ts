// Helpers for the web UI's browser tests: Debian's Chromium through playwright-core, logging in,
// waiting for a page's panels to settle, and each page's screenshot plus axe-core audit.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { repoRoot } from './paths.js';
import { TEST_KEY } from './vigil-process.js';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export const launchChromium = (): Promise<Browser> => chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });

/** A fresh folder under test-results/ (gitignored) for one test file's screenshots. */
export function screenshotDir(name: string): string {
  const dir = join(repoRoot(), 'test-results', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Fills the login page's one field with the test key and submits it. */
export async function logIn(page: Page): Promise<void> {
  await page.fill('input[type=password]', TEST_KEY);
  await page.click('button[type=submit]');
}

/** Waits until no panel shows its loading state (a locator poll: the CSP forbids evaluating strings). */
export async function settled(page: Page): Promise<void> {
  const deadline = Date.now() + 20_000;
  while ((await page.locator('[role=status]').count()) > 0) {
    if (Date.now() > deadline)
      assert.fail(
        `still loading: ${await page
          .locator('[role=status]')
          .first()
          .innerText({ timeout: 1000 })
          .catch(() => '?')}`,
      );
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown }>;
}

/** Screenshot, then axe-core: no critical violation allowed; serious ones are printed as TAP comments. */
export async function auditPage(page: Page, dir: string, name: string): Promise<void> {
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
  // Evaluated over the DevTools protocol, which the page's CSP (script-src 'self') does not govern.
  await page.evaluate(axeSource);
  const violations = await page.evaluate<AxeViolation[]>(
    "axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target })) })))",
  );
  const critical = violations.filter((v) => v.impact === 'critical');
  assert.deepEqual(critical, [], `${name}: critical accessibility issues: ${JSON.stringify(critical)}`);
  const serious = violations.filter((v) => v.impact === 'serious');
  if (serious.length) process.stdout.write(`# ${name}: serious accessibility issues: ${serious.map((v) => `${v.id} ${JSON.stringify(v.nodes)}`).join('; ')}\n`);
}
