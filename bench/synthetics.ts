// bench:synthetics — 1,000 HTTP checks every minute against a local server through the real
// scheduler and runner (fetch, assertions, trace context): how late runs start against their
// plan (scheduling drift), and the CPU and memory it costs. The server runs in a child process so
// its work is not counted as the scheduler's.
//   npm run bench:synthetics [-- --checks 1000 --every-s 60 --minutes 3 --concurrency 16]
import { fork } from 'node:child_process';
import { parseArgs } from 'node:util';
import { checkSchema } from '../src/synthetics/schema.js';
import { CheckScheduler, runCheck } from '../src/synthetics/index.js';
import { machineLine, percentile } from './machine.js';

const { values } = parseArgs({ options: { checks: { type: 'string', default: '1000' }, 'every-s': { type: 'string', default: '60' }, minutes: { type: 'string', default: '3' }, concurrency: { type: 'string', default: '16' }, server: { type: 'boolean', default: false } } });

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
  const checks = new Map(Array.from({ length: n }, (_, i) => [`check-${i}`, checkSchema.parse({ name: `check-${i}`, kind: 'http', url: `http://127.0.0.1:${port}/health/${i}`, every: `${everyMs}ms`, timeout: '5s', assert: { status: 200, json: { '$.status': 'ok' } } })]));
  let runs = 0;
  let failures = 0;
  const scheduler = new CheckScheduler({
    concurrency: Number(values.concurrency),
    now: Date.now,
    random: Math.random,
    async run(name) {
      const r = await runCheck(checks.get(name)!);
      runs++;
      if (!r.ok) failures++;
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
  console.log(`drift ms: p50 ${percentile(drifts, 0.5).toFixed(1)}, p99 ${percentile(drifts, 0.99).toFixed(1)}, max ${drifts[drifts.length - 1]?.toFixed(1)} (goal p99 < 1000)`);
  console.log(`cpu: ${((cpu.user + cpu.system) / 1e6 / elapsed).toFixed(3)} cores (${((cpu.user + cpu.system) / 1e3 / Math.max(1, runs)).toFixed(2)} ms per run); rss max ${(rssMax / 2 ** 20).toFixed(0)} MiB`);
}
