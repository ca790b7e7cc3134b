// The browser kind: YAML steps (goto, click, fill, waitFor, expectText) or a TypeScript journey,
// in real Chromium driven by playwright-core (see browser-session.ts for the trace context, the
// Web Vitals and the artifacts of a failed run).
import type { Page } from 'playwright-core';
import { runScriptedJourney } from '../journeys/run.js';
import type { StepResult } from '../result.js';
import type { BrowserCheck } from '../schema.js';
import { inBrowserSession } from './browser-session.js';
import { remainingMs, type CheckRunner } from './context.js';

type BrowserStep = BrowserCheck['steps'][number];

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

export const runBrowserCheck: CheckRunner<Extract<Parameters<CheckRunner>[0], { kind: 'browser' }>> = async (check, ctx) => {
  if ('script' in check) return runScriptedJourney(check, ctx);
  return inBrowserSession(check, ctx, async ({ page }) => {
    const steps: StepResult[] = [];
    let failed = false;
    for (const s of check.steps) {
      if (failed) break;
      const name = describeStep(s);
      const st = ctx.now();
      try {
        await runStep(page, s, remainingMs(ctx));
        steps.push({ name, ok: true, durationMs: ctx.now() - st, assertions: [] });
      } catch (err) {
        failed = true;
        const message = (err as Error).message.split('\n')[0] ?? 'failed';
        steps.push({
          name,
          ok: false,
          durationMs: ctx.now() - st,
          error: /Timeout \d+ms exceeded/.test(message) ? `timed out (${message})` : message,
          assertions: [],
        });
      }
    }
    return { steps, failed };
  });
};
