// NAB benchmark of the series scorer: runs `vigil backtest`'s own code path over every NAB
// development file, then NAB's scorer, and prints the three profiles beside the goal.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir, totalmem, type, release } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { backtestFile } from '../src/cli/commands/backtest.js';

const NAB = process.env.NAB_DIR ?? join(process.cwd(), '../shared/data/nab');
const GOAL = 80;
const PUBLISHED = 'ARTime 80.4, Numenta HTM 72.8, Relative Entropy 58.1, random 18.8';

function csvFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return csvFiles(path);
      return name.endsWith('.csv') ? [path] : [];
    });
}

async function main(): Promise<void> {
  const dataDir = join(NAB, 'data');
  const cpu = cpus();
  console.log(
    `machine: ${type()} ${release()}, ${cpu[0]?.model ?? 'unknown cpu'} x${cpu.length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM`,
  );
  const files = csvFiles(dataDir);
  const out = mkdtempSync(join(tmpdir(), 'vigil-nab-'));
  let rows = 0;
  const started = performance.now();
  for (const file of files) {
    const target = join(out, relative(dataDir, file));
    mkdirSync(dirname(target), { recursive: true });
    rows += (await backtestFile(file, target)).rows;
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`workload: vigil backtest over ${files.length} NAB files, ${rows.toLocaleString('en')} rows`);
  console.log(`throughput: ${(rows / seconds).toFixed(0)} rows/s (${seconds.toFixed(1)} s, CSV read + score + write)`);
  const report = execFileSync(
    process.execPath,
    [join(NAB, 'score.mjs'), '--results', out, '--windows', join(NAB, 'windows.json'), '--json'],
    {
      encoding: 'utf8',
    },
  );
  const scores = JSON.parse(report) as Record<string, { score: number; threshold: number }>;
  for (const [profile, r] of Object.entries(scores)) {
    const goal = profile === 'standard' ? `goal >= ${GOAL}: ${r.score >= GOAL ? 'met' : 'not met'}` : '';
    console.log(
      `NAB ${profile.padEnd(19)} ${r.score.toFixed(2).padStart(6)}  (threshold ${r.threshold.toFixed(4)})  ${goal}`,
    );
  }
  console.log(`published on this split (standard): ${PUBLISHED}`);
  if (process.env.KEEP_RESULTS) console.log(`results kept in ${out}`);
  else rmSync(out, { recursive: true, force: true });
}

await main();
