// NAB benchmark of the series scorer, reported the way it should be trusted: each candidate
// configuration's in-sample score and its leave-one-category-out (LOCO) score, where the
// configuration and the alarm threshold are chosen on four categories and scored on the fifth.
// The LOCO figure comes first; the shipped default then runs through `vigil backtest` itself.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { backtestFile, parseTimestamp } from '../src/cli/commands/backtest.js';
import { createSeriesScorer, defaultSeriesScorerOptions, type SeriesScorerOptions } from '../src/detect/series/index.js';
import { machineLine } from './machine.js';
import { bestThreshold, normalised, rawAt, readWindows, scoredFile, type ScoredFile } from './nab.js';

const NAB = process.env.NAB_DIR ?? join(process.cwd(), '../shared/data/nab');
const GOAL = 72;
const PUBLISHED = 'ARTime 80.4, Numenta HTM 72.8, Relative Entropy 58.1, random 18.8';

interface Candidate {
  name: string;
  options: Partial<SeriesScorerOptions>;
}

/** The configurations compared; the first is the shipped default. Few, each with a reason. */
const ALL_CANDIDATES: Candidate[] = [
  { name: 'default', options: {} },
  // How much the quartile window length (picked on this split) matters.
  { name: 'quartiles of 57', options: { quantileSpan: 57 } },
  { name: 'quartiles of 61', options: { quantileSpan: 61 } },
  { name: 'quartiles of 69', options: { quantileSpan: 69 } },
  // Whether each family of detectors earns its parameters out of sample.
  { name: 'no quartiles', options: { quantileLevels: [] } },
  { name: 'no shapes', options: { shapeWarmup: 1e12 } },
  { name: 'no level shifts', options: { shiftSpans: [] } },
];

/** ONLY=name,name narrows the run (while developing); the recorded figures use them all. */
const CANDIDATES = process.env.ONLY ? ALL_CANDIDATES.filter((c) => process.env.ONLY!.split(',').includes(c.name)) : ALL_CANDIDATES;

interface DataFile {
  name: string;
  category: string;
  times: number[];
  stamps: string[];
  values: number[];
}

function csvFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return csvFiles(path);
      return name.endsWith('.csv') ? [path] : [];
    });
}

function readData(dataDir: string): DataFile[] {
  return csvFiles(dataDir).map((path) => {
    const name = relative(dataDir, path);
    const lines = readFileSync(path, 'utf8')
      .split(/\r?\n/)
      .filter((l) => l.length > 0)
      .slice(1);
    const stamps = lines.map((l) => l.split(',')[0]!.trim());
    return {
      name,
      category: name.split('/')[0]!,
      stamps,
      times: stamps.map((s) => parseTimestamp(s) ?? Number.NaN),
      values: lines.map((l) => Number(l.split(',')[1])),
    };
  });
}

/** Hash of the scorer's compiled code: a cached score is only reused for the same code. */
function codeHash(): string {
  const dir = join(dirname(fileURLToPath(import.meta.url)), '../src/detect/series');
  const h = createHash('sha1');
  for (const f of readdirSync(dir).sort()) if (f.endsWith('.js') && !f.endsWith('.test.js')) h.update(readFileSync(join(dir, f)));
  return h.digest('hex').slice(0, 12);
}

/** Per-file scores of one configuration, cached on disk by configuration and code. */
function scoresOf(files: readonly DataFile[], c: Candidate, cacheDir: string, code: string): { scores: number[][]; seconds: number } {
  const key = createHash('sha1').update(code).update(JSON.stringify(c.options)).digest('hex').slice(0, 16);
  const path = join(cacheDir, `${key}.json`);
  if (existsSync(path)) return { scores: JSON.parse(readFileSync(path, 'utf8')) as number[][], seconds: 0 };
  const started = performance.now();
  const scores = files.map((f) => {
    const scorer = createSeriesScorer(c.options);
    return f.values.map((v, i) => scorer.push(f.times[i]!, v));
  });
  writeFileSync(path, JSON.stringify(scores));
  return { scores, seconds: (performance.now() - started) / 1000 };
}

interface Fold {
  category: string;
  candidate: string;
  threshold: number;
  raw: number;
  windows: number;
}

/** Leave one category out: for each, the candidate and threshold best on the rest, scored on it. */
function loco(categories: readonly string[], scored: Map<string, ScoredFile[]>, files: readonly DataFile[], among: readonly string[]): Fold[] {
  return categories.map((category) => {
    const train = (name: string): ScoredFile[] => scored.get(name)!.filter((_, i) => files[i]!.category !== category);
    let pick = { candidate: among[0]!, threshold: 1.1, raw: -Infinity };
    for (const name of among) {
      const b = bestThreshold(train(name));
      if (b.raw > pick.raw) pick = { candidate: name, ...b };
    }
    const held = scored.get(pick.candidate)!.filter((_, i) => files[i]!.category === category);
    const raw = held.reduce((sum, f) => sum + rawAt(f, pick.threshold), 0);
    return { category, candidate: pick.candidate, threshold: pick.threshold, raw, windows: held.reduce((n, f) => n + f.windows, 0) };
  });
}

const total = (folds: readonly Fold[]): number =>
  normalised(
    folds.reduce((s, f) => s + f.raw, 0),
    folds.reduce((s, f) => s + f.windows, 0),
  );

/** NAB's own scorer on the held-out outputs, each file cut at its fold's threshold (1 = alarm). */
function officialLoco(folds: readonly Fold[], files: readonly DataFile[], scores: Map<string, number[][]>): string {
  const out = mkdtempSync(join(tmpdir(), 'vigil-nab-loco-'));
  files.forEach((f, i) => {
    const fold = folds.find((x) => x.category === f.category)!;
    const s = scores.get(fold.candidate)![i]!;
    const target = join(out, f.name);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, `timestamp,value,anomaly_score\n${f.stamps.map((t, k) => `${t},${f.values[k]},${s[k]! >= fold.threshold ? 1 : 0}`).join('\n')}\n`);
  });
  const r = shared(out).standard!;
  rmSync(out, { recursive: true, force: true });
  return `${r.score.toFixed(2)} (its own threshold ${r.threshold})`;
}

function shared(results: string): Record<string, { score: number; threshold: number }> {
  const report = execFileSync(process.execPath, [join(NAB, 'score.mjs'), '--results', results, '--windows', join(NAB, 'windows.json'), '--json'], {
    encoding: 'utf8',
  });
  return JSON.parse(report) as Record<string, { score: number; threshold: number }>;
}

const fmt = (x: number): string => x.toFixed(2).padStart(6);

async function main(): Promise<void> {
  console.log(machineLine());
  const dataDir = join(NAB, 'data');
  const windows = readWindows(join(NAB, 'windows.json'));
  const files = readData(dataDir);
  const categories = [...new Set(files.map((f) => f.category))];
  const rows = files.reduce((n, f) => n + f.values.length, 0);
  console.log(
    `workload: ${files.length} NAB files in ${categories.length} categories, ${rows.toLocaleString('en')} rows; ${CANDIDATES.length} candidate configurations`,
  );
  const cacheDir = join(tmpdir(), 'vigil-nab-cache');
  mkdirSync(cacheDir, { recursive: true });
  const code = codeHash();
  const scores = new Map<string, number[][]>();
  const scored = new Map<string, ScoredFile[]>();
  let computed = 0;
  let seconds = 0;
  for (const c of CANDIDATES) {
    const r = scoresOf(files, c, cacheDir, code);
    if (r.seconds > 0) {
      computed++;
      seconds += r.seconds;
    }
    scores.set(c.name, r.scores);
    scored.set(
      c.name,
      files.map((f, i) => scoredFile(f.name, f.stamps, r.scores[i]!, windows[f.name] ?? [])),
    );
  }
  const names = CANDIDATES.map((c) => c.name);
  const folds = loco(categories, scored, files, names);
  console.log(
    `\nLOCO standard (configuration and threshold chosen without the category scored): ${total(folds).toFixed(2)}  goal >= ${GOAL}: ${total(folds) >= GOAL ? 'met' : 'not met'}`,
  );
  console.log(`  NAB's scorer on the union of held-out outputs: ${officialLoco(folds, files, scores)}`);
  for (const f of folds) {
    const held = f.windows > 0 ? `held-out ${fmt(normalised(f.raw, f.windows))}` : `held-out raw ${f.raw.toFixed(2)} (no windows: false-positive cost only)`;
    console.log(`  ${f.category.padEnd(22)} ${held}  chose "${f.candidate}" at threshold ${f.threshold.toFixed(4)}`);
  }
  const inSample = bestThreshold(scored.get(names[0]!)!);
  console.log(
    `\nin-sample standard of the default (threshold chosen on all 34 files): ${normalised(
      inSample.raw,
      files.reduce((n, f) => n + (windows[f.name]?.length ?? 0), 0),
    ).toFixed(2)} at ${inSample.threshold.toFixed(4)}`,
  );
  console.log('\ncandidate                in-sample  LOCO (threshold only chosen per fold)');
  const allWindows = files.reduce((n, f) => n + (windows[f.name]?.length ?? 0), 0);
  for (const name of names) {
    const b = bestThreshold(scored.get(name)!);
    console.log(`  ${name.padEnd(22)} ${fmt(normalised(b.raw, allWindows))}    ${fmt(total(loco(categories, scored, files, [name])))}`);
  }
  if (computed > 0)
    console.log(
      `\nscoring: ${computed} configurations computed in ${seconds.toFixed(1)} s (${((computed * rows) / seconds).toFixed(0)} rows/s, scorer only), ${CANDIDATES.length - computed} from cache`,
    );

  if (process.env.NO_BACKTEST) return;
  // The default through the product's own path, checked against NAB's scorer.
  const out = mkdtempSync(join(tmpdir(), 'vigil-nab-'));
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  for (const f of files) {
    const target = join(out, f.name);
    mkdirSync(dirname(target), { recursive: true });
    await backtestFile(join(dataDir, f.name), target);
  }
  const wall = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  console.log(
    `\nvigil backtest (default): ${(rows / wall).toFixed(0)} rows/s wall (${wall.toFixed(1)} s), ${(rows / cpuSeconds).toFixed(0)} rows per CPU-second (CSV read + score + write)`,
  );
  for (const [profile, r] of Object.entries(shared(out)))
    console.log(`  NAB ${profile.padEnd(19)} ${fmt(r.score)}  (threshold ${r.threshold.toFixed(4)}, in-sample)`);
  console.log(`published on this split (standard, in-sample): ${PUBLISHED}`);
  console.log(`default options: ${JSON.stringify(defaultSeriesScorerOptions)}`);
  if (process.env.KEEP_RESULTS) console.log(`results kept in ${out}`);
  else rmSync(out, { recursive: true, force: true });
}

await main();
