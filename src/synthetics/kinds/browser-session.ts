// One browser session for a browser check (YAML steps or a TypeScript journey): Chromium launched
// through playwright-core, a fresh context whose every request carries the run's traceparent and
// the synthetic marker, Largest Contentful Paint and Cumulative Layout Shift collected from the
// start, and, when the run fails, a screenshot and a Playwright trace in the artifacts directory
// (the newest failed runs' per check, see artifacts.ts).
import { mkdirSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { artifactBase, pruneArtifacts } from '../artifacts.js';
import type { RunDetails, StepResult } from '../result.js';
import { remainingMs, type RunContext, type RunOutcome } from './context.js';
import { syntheticHeaders } from './http-request.js';

/** Flags for a headless Chromium on a server with no display and a closed network. */
export const chromiumArgs = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// Collected in the page from the start, read after the steps: the Web Vitals a user would feel.
const vitalsScript = `(() => {
  window.__vigilVitals = { lcp: 0, cls: 0 };
  try {
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__vigilVitals.lcp = Math.max(window.__vigilVitals.lcp, e.startTime); }).observe({ type: 'largest-contentful-paint', buffered: true });
    new PerformanceObserver((l) => { for (const e of l.getEntries()) if (!e.hadRecentInput) window.__vigilVitals.cls += e.value; }).observe({ type: 'layout-shift', buffered: true });
  } catch {}
})();`;

export interface BrowserSession {
  page: Page;
  context: BrowserContext;
}

/** What the body of a session did: its steps, and whether the run failed (then artifacts are kept). */
export interface SessionOutcome {
  steps: StepResult[];
  failed: boolean;
}

export async function inBrowserSession(
  check: { name: string; viewport?: { width: number; height: number } },
  ctx: RunContext,
  body: (session: BrowserSession) => Promise<SessionOutcome>,
): Promise<RunOutcome> {
  const { chromium } = await import('playwright-core');
  const t0 = ctx.now();
  let browser;
  try {
    browser = await chromium.launch({ executablePath: ctx.chromiumPath, args: chromiumArgs, timeout: remainingMs(ctx) });
  } catch (err) {
    return {
      steps: [
        {
          name: 'launch Chromium',
          ok: false,
          durationMs: ctx.now() - t0,
          error: `cannot start Chromium at ${ctx.chromiumPath}: ${(err as Error).message.split('\n')[0] ?? ''}`,
          assertions: [],
        },
      ],
      details: {},
    };
  }
  const details: RunDetails = {};
  try {
    const context = await browser.newContext({
      viewport: check.viewport ?? { width: 1280, height: 800 },
      extraHTTPHeaders: { ...syntheticHeaders, traceparent: `00-${ctx.traceId}-${ctx.newSpanId()}-01` },
    });
    if (ctx.artifactsDir) await context.tracing.start({ screenshots: true, snapshots: true });
    await context.addInitScript(vitalsScript);
    const page = await context.newPage();
    const { steps, failed } = await body({ page, context });
    const vitals = (await page.evaluate('window.__vigilVitals').catch(() => undefined)) as { lcp: number; cls: number } | undefined;
    if (vitals) {
      details.lcpMs = Math.round(vitals.lcp);
      details.cls = Math.round(vitals.cls * 1000) / 1000;
    }
    if (failed && ctx.artifactsDir) {
      mkdirSync(ctx.artifactsDir, { recursive: true, mode: 0o700 });
      const base = artifactBase(ctx.artifactsDir, check.name, t0);
      await page.screenshot({ path: `${base}.png`, fullPage: true, timeout: 5_000 }).then(
        () => (details.screenshot = `${base}.png`),
        () => undefined,
      );
      await context.tracing.stop({ path: `${base}.trace.zip` }).then(
        () => (details.trace = `${base}.trace.zip`),
        () => undefined,
      );
      pruneArtifacts(ctx.artifactsDir, check.name);
    } else if (ctx.artifactsDir) await context.tracing.stop();
    return { steps, details };
  } finally {
    await browser.close();
  }
}
