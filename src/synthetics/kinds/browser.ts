// The browser kind: steps (goto, click, fill, waitFor, expectText) in real Chromium driven by
// playwright-core. Every request carries the run's traceparent and the synthetic marker; Largest
// Contentful Paint and Cumulative Layout Shift are recorded; a failed run leaves a screenshot and
// a Playwright trace in the artifacts directory.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { RunDetails, StepResult } from '../result.js';
import type { BrowserCheck } from '../schema.js';
import { remainingMs, type CheckRunner } from './context.js';
import { syntheticHeaders } from './http-request.js';

type BrowserStep = BrowserCheck['steps'][number];

/** Flags for a headless Chromium on a server with no display and a closed network. */
export const chromiumArgs = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// Collected in the page from the start, read after the steps: the Web Vitals a user would feel.
const vitalsScript = `(() => {
  window.__vigilVitals = { lcp: 0, cls: 0 };
  try {
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__vigilVitals.lcp = Math.max(window.__vigilVitals.lcp, e.startTime); }).observe({ type: 'largest-contentful-paint', buffered: true });
    new PerformanceObserver((l) => { for (const e of l.getEntries()) if (!e.hadRecentInput) window.__vigilVitals.cls += e.value; }).observe({ type: 'layout-shift', buffered: true });
  } catch {}
})();`;

const describeStep = (s: BrowserStep): string => {
  if ('goto' in s) return `goto ${s.goto}`;
  if ('click' in s) return `click ${s.click}`;
  if ('fill' in s) return `fill ${s.fill}`;
  if ('waitFor' in s) return `waitFor ${s.waitFor}`;
  return `expectText "${s.expectText}"${s.in ? ` in ${s.in}` : ''}`;
};

async function runStep(page: Page, s: BrowserStep, timeout: number): Promise<void> {
  if ('goto' in s) {
    const res = await page.goto(s.goto, { timeout, waitUntil: 'load' });
    if (res && res.status() >= 400) throw new Error(`the page answered HTTP ${res.status()}`);
  } else if ('click' in s) await page.click(s.click, { timeout });
  else if ('fill' in s) await page.fill(s.fill, s.value, { timeout });
  else if ('waitFor' in s) await page.waitForSelector(s.waitFor, { timeout, state: 'visible' });
  else {
    const where = page.locator(s.in ?? 'body').first();
    await where.waitFor({ timeout, state: 'attached' });
    const text = await where.innerText({ timeout });
    if (!text.includes(s.expectText)) throw new Error(`"${s.expectText}" is not on the page${s.in ? ` in ${s.in}` : ''}`);
  }
}

export const runBrowserCheck: CheckRunner<BrowserCheck> = async (check, ctx) => {
  const { chromium } = await import('playwright-core');
  const t0 = ctx.now();
  let browser;
  try {
    browser = await chromium.launch({ executablePath: ctx.chromiumPath, args: chromiumArgs, timeout: remainingMs(ctx) });
  } catch (err) {
    return { steps: [{ name: 'launch Chromium', ok: false, durationMs: ctx.now() - t0, error: `cannot start Chromium at ${ctx.chromiumPath}: ${(err as Error).message.split('\n')[0] ?? ''}`, assertions: [] }], details: {} };
  }
  const steps: StepResult[] = [];
  const details: RunDetails = {};
  try {
    const context = await browser.newContext({ viewport: check.viewport ?? { width: 1280, height: 800 }, extraHTTPHeaders: { ...syntheticHeaders, traceparent: `00-${ctx.traceId}-${ctx.newSpanId()}-01` } });
    if (ctx.artifactsDir) await context.tracing.start({ screenshots: true, snapshots: true });
    await context.addInitScript(vitalsScript);
    const page = await context.newPage();
    let failed = false;
    for (const s of check.steps) {
      const name = describeStep(s);
      if (failed) continue;
      const st = ctx.now();
      try {
        await runStep(page, s, remainingMs(ctx));
        steps.push({ name, ok: true, durationMs: ctx.now() - st, assertions: [] });
      } catch (err) {
        failed = true;
        const message = (err as Error).message.split('\n')[0] ?? 'failed';
        steps.push({ name, ok: false, durationMs: ctx.now() - st, error: /Timeout \d+ms exceeded/.test(message) ? `timed out (${message})` : message, assertions: [] });
      }
    }
    const vitals = (await page.evaluate('window.__vigilVitals').catch(() => undefined)) as { lcp: number; cls: number } | undefined;
    if (vitals) {
      details.lcpMs = Math.round(vitals.lcp);
      details.cls = Math.round(vitals.cls * 1000) / 1000;
    }
    if (failed && ctx.artifactsDir) {
      mkdirSync(ctx.artifactsDir, { recursive: true, mode: 0o700 });
      const base = join(ctx.artifactsDir, `${check.name.replace(/[^\w.-]+/g, '_')}-${new Date(t0).toISOString().replace(/[:.]/g, '-')}`);
      await page.screenshot({ path: `${base}.png`, fullPage: true }).then(
        () => (details.screenshot = `${base}.png`),
        () => undefined,
      );
      await context.tracing.stop({ path: `${base}.trace.zip` }).then(
        () => (details.trace = `${base}.trace.zip`),
        () => undefined,
      );
    } else if (ctx.artifactsDir) await context.tracing.stop();
  } finally {
    await browser.close();
  }
  return { steps, details };
};
