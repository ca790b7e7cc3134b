// bench:synthetics — 1,000 HTTP checks every minute against a local server through the real
// scheduler and runner (fetch, assertions, trace context): how late runs start against their
// plan (scheduling drift), and the CPU and memory it costs. The server runs in a child process so
// its work is not counted as the scheduler's. Each run also goes through the latency-regression
// check (as in the monitor), timed on its own; last, a directory of TypeScript journeys is loaded
// (transpiled through the module hooks) and its cost per file printed.
//   npm run bench:synthetics [-- --checks 1000 --every-s 60 --minutes 3 --concurrency 16 --journeys 20]
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { checkSchema } from '../src/synthetics/schema.js';
import { CheckScheduler, initialLatencyState, loadChecks, observeRunLatency, runCheck, type LatencyState } from '../src/synthetics/index.js';
import { machineLine, percentile } from './machine.js';

const { values } = parseArgs({
  options: {
    checks: { type: 'string', default: '1000' },
    'every-s': { type: 'string', default: '60' },
    minutes: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '16' },
    journeys: { type: 'string', default: '20' },
    server: { type: 'boolean', default: false },
  },
});

if (values.server) {
  // The system under test: answers at once, like a health endpoint.
  const { createServer } = await import('node:http');
  const s = createServer((_q, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"status":"ok"}');
  });
  s.listen(0, '127.0.0.1', () => process.send?.((s.address() as { port: number }).port));
} else {
  const n = Number(values.checks);
  const everyMs = Number(values['every-s']) * 1000;
  const durationMs = Number(values.minutes) * 60_000;
  const child = fork(new URL(import.meta.url).pathname, ['--server'], { stdio: 'inherit' });
  const port = await new Promise<number>((r) => child.once('message', (m) => r(Number(m))));
  const checks = new Map(
    Array.from({ length: n }, (_, i) => [
      `check-${i}`,
      checkSchema.parse({
        name: `check-${i}`,
        kind: 'http',
        url: `http://127.0.0.1:${port}/health/${i}`,
        every: `${everyMs}ms`,
        timeout: '5s',
        assert: { status: 200, json: { '$.status': 'ok' } },
      }),
    ]),
  );
  let runs = 0;
  let failures = 0;
  let latencyMs = 0;
  let latencySignals = 0;
  const latency = new Map<string, LatencyState>();
  const scheduler = new CheckScheduler({
    concurrency: Number(values.concurrency),
    now: Date.now,
    random: Math.random,
    async run(name) {
      const check = checks.get(name)!;
      const r = await runCheck(check);
      runs++;
      if (!r.ok) failures++;
      const t = performance.now();
      const d = observeRunLatency(check, latency.get(name) ?? initialLatencyState(), r, Date.now());
      latencyMs += performance.now() - t;
      latency.set(name, d.state);
      if (d.signal?.status === 'firing') latencySignals++;
    },
  });
  console.log(machineLine());
  console.log(`checks: ${n} HTTP, every ${everyMs / 1000} s, concurrency ${values.concurrency}, for ${values.minutes} min`);
  const cpu0 = process.cpuUsage();
  let rssMax = 0;
  const sampler = setInterval(() => (rssMax = Math.max(rssMax, process.memoryUsage().rss)), 1000);
  const t0 = Date.now();
  for (const name of checks.keys()) scheduler.schedule(name, everyMs);
  await new Promise((r) => setTimeout(r, durationMs));
  scheduler.stop();
  clearInterval(sampler);
  const cpu = process.cpuUsage(cpu0);
  const elapsed = (Date.now() - t0) / 1000;
  const drifts = [...scheduler.drifts].sort((a, b) => a - b);
  child.kill();
  console.log(`runs: ${runs} (${(runs / elapsed).toFixed(1)}/s), failed: ${failures}`);
  console.log(
    `drift ms: p50 ${percentile(drifts, 0.5).toFixed(1)}, p99 ${percentile(drifts, 0.99).toFixed(1)}, max ${drifts[drifts.length - 1]?.toFixed(1)} (goal p99 < 1000)`,
  );
  console.log(
    `cpu: ${((cpu.user + cpu.system) / 1e6 / elapsed).toFixed(3)} cores (${((cpu.user + cpu.system) / 1e3 / Math.max(1, runs)).toFixed(2)} ms per run); rss max ${(rssMax / 2 ** 20).toFixed(0)} MiB`,
  );
  console.log(
    `latency regression check: ${((latencyMs * 1000) / Math.max(1, runs)).toFixed(1)} µs per run (wall, in-process), ${latencySignals} signals on a steady server`,
  );

  // TypeScript journeys: what loading a directory of them costs (compiler start-up, then per file).
  const count = Number(values.journeys);
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-journeys-'));
  for (let i = 0; i < count; i++) {
    writeFileSync(
      join(dir, `j${i}.journey.ts`),
      `import { defineJourney, type Page } from 'vigil-qa/journeys';\nconst open = async (page: Page, path: string): Promise<void> => { await page.goto(\`http://127.0.0.1:${port}\${path}\`); };\nexport default defineJourney({ name: 'journey ${i}', service: 'shop', every: '5m', smoke: ${i % 2 === 0} }, async ({ page, step, expect }) => {\n  await step('open', () => open(page, '/health/${i}'));\n  await expect(page).toHaveTitle(/.*/);\n});\n`,
    );
  }
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  const first = await loadChecks(dir, {});
  const w1 = performance.now();
  const c1 = process.cpuUsage(c0);
  const same = await loadChecks(dir, {});
  const w2 = performance.now();
  // An edit anywhere among the scripts imports every journey afresh.
  writeFileSync(join(dir, 'helper.ts'), 'export const edited = true;\n');
  const w3 = performance.now();
  const edited = await loadChecks(dir, {});
  const w4 = performance.now();
  rmSync(dir, { recursive: true, force: true });
  if (first.problems.length || same.checks.length !== count || edited.checks.length !== count)
    throw new Error(`journeys did not load: ${JSON.stringify(first.problems[0])}`);
  console.log(
    `journeys: ${count} *.journey.ts loaded in ${(w1 - w0).toFixed(0)} ms the first time (compiler start-up included; main-thread CPU ${((c1.user + c1.system) / 1e3).toFixed(0)} ms); reload with nothing changed ${(w2 - w1).toFixed(0)} ms; after an edit ${(w4 - w3).toFixed(0)} ms (${((w4 - w3) / count).toFixed(1)} ms per file)`,
  );
}
