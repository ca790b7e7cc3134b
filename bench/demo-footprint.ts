// Demo footprint (issue 4): `vigil demo` at default traffic must use under 500 MB RSS and one core.
// Runs the real CLI as users do (bin/vigil demo on free ports, needs the build), lets it warm up, then samples
// the resident memory (VmRSS) and CPU time (utime + stime) from /proc of the demo process (Vigil's
// server, embedded chDB and engines, plus the shop's services, OTel SDK and traffic on a worker
// thread) and of any child process it has (none today; counted if one appears). Linux only.
//   npm run bench:demo [-- --warmup-s 60 --measure-s 60 --rps 5 --fault-after S]

import { spawn, execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { vigilLauncher } from '../src/demo/index.js';
import { machineLine } from './machine.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const num = (name: string, fallback: number): number => Number(arg(name) ?? fallback);

const warmupS = num('warmup-s', 60);
const measureS = num('measure-s', 60);
const rps = num('rps', 5);
// Absent: the demo's own default (the seed fault goes in after 150 s).
const faultAfter = arg('fault-after');
const LIMIT_MB = 500;
const LIMIT_CORES = 1;
const clockTicks = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

interface ProcSample {
  rssKb: number;
  /** Private memory; the rest of RSS is file-backed (chDB's and node's code, shared and clean). */
  anonKb: number;
  /** Proportional set size: pages shared with the other process (node's own code) count half. */
  pssKb: number;
  cpuTicks: number;
}

function sample(pid: number): ProcSample | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may itself hold spaces: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const kb = (key: string): number => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    const pss = Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
    return { rssKb: kb('VmRSS'), anonKb: kb('RssAnon'), pssKb: pss, cpuTicks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined;
  }
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) out.push(Number(name));
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

console.log(machineLine());
console.log(
  `workload: vigil demo at ${rps} req/s (default traffic), seed fault after ${faultAfter ?? 'the default 150'} s; ${warmupS} s warm-up, then RSS and CPU of the demo ` +
    `process (Vigil + shop thread) and any children sampled every second for ${measureS} s`,
);
const demo = spawn(
  vigilLauncher(),
  [
    'demo',
    '--port',
    '0',
    '--otlp-port',
    '0',
    '--otlp-grpc-port',
    '0',
    '--shop-port',
    '0',
    '--control-port',
    '0',
    '--rps',
    String(rps),
    ...(faultAfter ? ['--fault-after', faultAfter] : []),
    '--duration',
    String(warmupS + measureS + 120),
  ],
  { env: { ...process.env, VIGIL_API_KEY: process.env.VIGIL_API_KEY ?? 'bench-demo-key-0123456789abcdef' }, stdio: ['ignore', 'pipe', 'pipe'] },
);
let out = '';
demo.stdout.on('data', (d: Buffer) => (out += d.toString()));
demo.stderr.on('data', (d: Buffer) => (out += d.toString()));
const demoPid = demo.pid ?? 0;
try {
  const t0 = Date.now();
  while (!/Vigil demo is running/.test(out)) {
    if (demo.exitCode !== null) throw new Error(`vigil demo exited:\n${out}`);
    if (Date.now() - t0 > 180_000) throw new Error(`vigil demo did not come up in 180 s:\n${out}`);
    await sleep(500);
  }
  console.log(`up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  await sleep(warmupS * 1000);

  const procs = [{ name: 'vigil demo', pid: demoPid }, ...childrenOf(demoPid).map((pid) => ({ name: 'child process', pid }))];
  const first = procs.map((p) => sample(p.pid));
  const start = performance.now();
  const rss = procs.map(() => [] as number[]);
  const anon = procs.map(() => [] as number[]);
  const totals: number[] = [];
  const anonTotals: number[] = [];
  const pssTotals: number[] = [];
  while (performance.now() - start < measureS * 1000) {
    const now = procs.map((p) => sample(p.pid));
    now.forEach((s, i) => {
      rss[i]!.push((s?.rssKb ?? 0) / 1024);
      anon[i]!.push((s?.anonKb ?? 0) / 1024);
    });
    totals.push(now.reduce((a, s) => a + (s?.rssKb ?? 0) / 1024, 0));
    anonTotals.push(now.reduce((a, s) => a + (s?.anonKb ?? 0) / 1024, 0));
    pssTotals.push(now.reduce((a, s) => a + (s?.pssKb ?? 0) / 1024, 0));
    await sleep(1000);
  }
  const last = procs.map((p) => sample(p.pid));
  const wallS = (performance.now() - start) / 1000;
  let cores = 0;
  procs.forEach((p, i) => {
    const a = first[i];
    const b = last[i];
    if (!a || !b) throw new Error(`${p.name} (pid ${p.pid}) ended during the measurement:\n${out.slice(-2000)}`);
    const c = (b.cpuTicks - a.cpuTicks) / clockTicks / wallS;
    cores += c;
    const r = rss[i]!;
    console.log(
      `${p.name.padEnd(20)} pid ${String(p.pid).padEnd(7)} RSS mean ${(r.reduce((x, y) => x + y, 0) / r.length).toFixed(0)} MB, max ${Math.max(...r).toFixed(0)} MB (anonymous max ${Math.max(...anon[i]!).toFixed(0)} MB); CPU ${(c * 100).toFixed(0)}% of a core`,
    );
  });
  const maxTotal = Math.max(...totals);
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(
    `total               RSS mean ${mean(totals).toFixed(0)} MB; PSS (shared pages counted once) mean ${mean(pssTotals).toFixed(0)} MB, max ${Math.max(...pssTotals).toFixed(0)} MB`,
  );
  console.log(
    `total               RSS max ${maxTotal.toFixed(0)} MB (limit ${LIMIT_MB} MB: ${maxTotal < LIMIT_MB ? 'ok' : 'OVER'}; anonymous max ${Math.max(...anonTotals).toFixed(0)} MB); CPU ${cores.toFixed(2)} cores (limit ${LIMIT_CORES}: ${cores < LIMIT_CORES ? 'ok' : 'OVER'})`,
  );
  if (maxTotal >= LIMIT_MB || cores >= LIMIT_CORES) process.exitCode = 1;
} finally {
  if (demo.exitCode === null) {
    const exited = new Promise((r) => demo.once('exit', r));
    demo.kill('SIGTERM');
    await Promise.race([exited, sleep(30_000)]);
    if (demo.exitCode === null) demo.kill('SIGKILL');
  }
}
const sent = /Sent \d+ requests[^\n]*/.exec(out)?.[0];
if (sent) console.log(`demo: ${sent}`);
