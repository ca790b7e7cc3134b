// `npm run bench:fuzz [-- --count N --seed S --concurrency C --minutes M]`: the ingest fuzz test at
// scale (issue 17). A real `vigil start` child takes N seeded mutated OTLP bodies (default 10^6)
// over HTTP protobuf/JSON/gzip and gRPC; prints progress, bodies/s, the status histogram, contract
// breaks (each as it happens), the child's peak RSS, and whether it stayed up and drained its
// write-ahead log. After M minutes (default: no limit) or on Ctrl-C it stops sending and reports
// what it sent, so a run cut short still ends with its figures.
import { readFileSync } from 'node:fs';
import { decodeTraces } from '../src/ingest/index.js';
import { fuzzCorpus } from '../src/ingest/testing/fuzz-bodies.js';
import { amplificationRequest } from '../src/ingest/testing/otlp-bytes.js';
import { spanRow } from '../src/store/index.js';
import { runFuzz, type FuzzStats } from '../src/ingest/testing/fuzz-client.js';
import { startVigilProcess, TEST_KEY } from '../test/support/vigil-process.js';
import { machineLine } from './machine.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} must be a number`);
  return v;
}

/** Current and peak resident set of a process, in MiB (Linux /proc). */
function rssMiB(pid: number): { now: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  return { now: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

const histogram = (stats: FuzzStats): string =>
  [...stats.statuses]
    .sort((a, b) => b[1] - a[1])
    .map(([status, n]) => `${status}: ${n}`)
    .join(', ');

/** The issue's 4 MB amplification request: the rows it becomes (as the write-ahead log writes them,
 * JSON) and what the server does with it. */
async function amplification(otlpUrl: string, pid: number): Promise<void> {
  const { body, spans } = amplificationRequest(4_000_000, BigInt(Date.now()) * 1_000_000n);
  const decoded = decodeTraces(body, 'protobuf');
  let rowBytes = 0;
  for (const span of decoded.spans) rowBytes += Buffer.byteLength(JSON.stringify(spanRow(span)));
  const before = rssMiB(pid);
  const t0 = Date.now();
  const sent = await fetch(`${otlpUrl}/v1/traces`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'application/x-protobuf' },
    body,
  });
  await sent.arrayBuffer();
  const after = rssMiB(pid);
  console.log(
    `amplification: a ${body.length}-byte request of one resource (128 × 16,000-char attributes) and ${spans} tiny spans → ${decoded.spans.length} spans kept, ${decoded.rejected.count} rejected, ${(rowBytes / 2 ** 20).toFixed(1)} MiB of rows (${(rowBytes / body.length).toFixed(1)}× the request); server answered ${sent.status} in ${Date.now() - t0} ms, RSS ${before.now.toFixed(0)} → ${after.now.toFixed(0)} MiB (peak ${before.peak.toFixed(0)} → ${after.peak.toFixed(0)})`,
  );
  console.log(`  reasons: ${decoded.rejected.reasons.join(' | ')}`);
}

async function main(): Promise<void> {
  const count = arg('count', 1_000_000);
  const seed = arg('seed', 17);
  const concurrency = arg('concurrency', 8);
  const minutes = arg('minutes', 0);
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  if (minutes > 0) setTimeout(() => stop.abort(), minutes * 60_000).unref();
  console.log(machineLine());
  console.log(`workload: ${count} mutated OTLP bodies, seed ${seed}, ${concurrency} in flight, against a \`vigil start\` child (embedded chDB)`);
  // --exit-with-parent: a bench stopped midway must not leave its Vigil running.
  const vigil = await startVigilProcess({ extraArgs: ['--exit-with-parent'] });
  const pid = vigil.child.pid!;
  let peakSeen = 0;
  let problemsShown = 0;
  let alive = true;
  let stopping = false;
  vigil.child.once('exit', (code, signal) => {
    alive = false;
    if (!stopping) console.log(`VIGIL EXITED during the run: code ${code} signal ${signal}\n${vigil.output().slice(-3000)}`);
  });
  const t0 = Date.now();
  try {
    await amplification(vigil.otlp, pid);
    const stats = await runFuzz({
      target: { otlpHttpUrl: vigil.otlp, grpcPort: vigil.grpcPort, key: TEST_KEY },
      corpus: await fuzzCorpus(),
      seed,
      count,
      concurrency,
      progressEvery: Math.max(1000, Math.round(count / 100)),
      signal: stop.signal,
      onProgress(s) {
        for (const p of s.problems.slice(problemsShown))
          console.log(`  contract break #${p.index} ${p.transport} ${p.encoding} ${p.signal} [${p.mutations.join(', ')}]: ${p.problem}`);
        problemsShown = s.problems.length;
        const rss = alive ? rssMiB(pid) : { now: NaN, peak: NaN };
        peakSeen = Math.max(peakSeen, rss.peak);
        const secs = (Date.now() - t0) / 1000;
        console.log(
          `${s.sent} bodies, ${(s.sent / secs).toFixed(0)}/s, rss ${rss.now.toFixed(0)} MiB (peak ${rss.peak.toFixed(0)}), problems ${s.problems.length}; ${histogram(s)}`,
        );
      },
    });
    const secs = (Date.now() - t0) / 1000;
    const rss = alive ? rssMiB(pid) : { now: NaN, peak: NaN };
    if (stop.signal.aborted)
      console.log(`\nstopped early (${minutes > 0 ? `the ${minutes}-minute budget` : 'interrupted'}) after ${stats.sent} of ${count} bodies`);
    console.log(`\nsent ${stats.sent} bodies in ${secs.toFixed(0)} s: ${(stats.sent / secs).toFixed(0)} bodies/s`);
    console.log(`statuses: ${histogram(stats)}`);
    const fivexx = [...stats.statuses].filter(([s]) => /^http 5|^grpc (2|13)$|transport/.test(s)).reduce((n, [, c]) => n + c, 0);
    console.log(`5xx / INTERNAL / transport errors: ${fivexx}`);
    console.log(`contract breaks: ${stats.problems.length}${stats.problems.length ? ' (first ones below)' : ''}`);
    for (const p of stats.problems.slice(0, 10))
      console.log(`  #${p.index} ${p.transport} ${p.encoding} ${p.signal} [${p.mutations.join(', ')}]: ${p.problem}`);
    console.log(`vigil peak RSS ${Math.max(peakSeen, rss.peak).toFixed(0)} MiB, now ${rss.now.toFixed(0)} MiB, still up: ${alive}`);
    if (alive) {
      const drained = await vigil.waitFor(
        async () => {
          const q = await vigil.client.ingestQueue();
          return q.queuedRows === 0 ? q : undefined;
        },
        300_000,
        'the write-ahead log to drain',
      );
      console.log(`write-ahead log drained: queuedRows 0, insertFailures ${drained.insertFailures}, quarantinedInserts ${drained.quarantinedInserts}`);
    }
  } finally {
    stopping = true;
    if (alive) await vigil.stop();
    vigil.cleanup();
  }
}

await main();
