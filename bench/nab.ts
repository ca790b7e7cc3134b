// NAB's standard-profile scoring, in memory, so bench:detect can vary thresholds and fold
// splits without rewriting CSVs: the same rules as ../shared/data/nab/score.mjs (probation,
// earliest detection per window, sigmoid-weighted false positives), checked against it per run.
import { readFileSync } from 'node:fs';

export interface Profile {
  tp: number;
  fn: number;
  fp: number;
}

export const STANDARD: Profile = { tp: 1.0, fn: 1.0, fp: 0.11 };

/** One data file's rows as scored: the anomaly score and its reward if it were a detection. */
export interface ScoredFile {
  name: string;
  /** Points outside probation: score, window index (-1 = none) and sweep reward. */
  scores: Float64Array;
  windowOf: Int32Array;
  sweep: Float64Array;
  windows: number;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const scaledSigmoid = (pos: number): number => (pos > 3 ? -1 : 2 * sigmoid(-5 * pos) - 1);
const norm = (t: string): string =>
  t
    .trim()
    .replace('T', ' ')
    .replace(/\.0+$/, '')
    .replace(/\.\d+$/, (m) => (/^\.0*$/.test(m) ? '' : m));

export function readWindows(path: string): Record<string, [string, string][]> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, [string, string][]>;
}

/** Attaches NAB's per-row rewards to one file's scores (timestamps as written in the data). */
export function scoredFile(
  name: string,
  timestamps: readonly string[],
  scores: ArrayLike<number>,
  windows: [string, string][],
  profile = STANDARD,
): ScoredFile {
  const n = timestamps.length;
  const maxTP = scaledSigmoid(-1.0);
  const probation = Math.min(Math.floor(0.15 * n), 0.15 * 5000);
  const index = new Map(timestamps.map((t, i) => [norm(t), i]));
  const wins = windows.map(([a, b]) => {
    const l = index.get(norm(a));
    const r = index.get(norm(b));
    if (l === undefined || r === undefined) throw new Error(`${name}: window ${a}..${b} not found in timestamps`);
    return [l, r] as const;
  });
  const keep = n - Math.ceil(probation);
  const out: ScoredFile = { name, scores: new Float64Array(keep), windowOf: new Int32Array(keep), sweep: new Float64Array(keep), windows: wins.length };
  let w = 0;
  let cur: readonly [number, number] | null = null;
  let curIndex = -1;
  let prevRight: number | null = null;
  let prevWidth = 0;
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (cur === null && w < wins.length && i === wins[w]![0]) {
      cur = wins[w]!;
      curIndex = w++;
    }
    let sweep: number;
    if (cur) sweep = (scaledSigmoid(-(cur[1] - i + 1) / (cur[1] - cur[0] + 1)) * profile.tp) / maxTP;
    else sweep = (prevRight === null ? -1.0 : scaledSigmoid(Math.abs(prevRight - i) / (prevWidth - 1))) * profile.fp;
    if (i >= probation) {
      out.scores[k] = scores[i]!;
      out.windowOf[k] = cur ? curIndex : -1;
      out.sweep[k] = sweep;
      k++;
    }
    if (cur && i === cur[1]) {
      prevRight = i;
      prevWidth = cur[1] - cur[0] + 1;
      cur = null;
    }
  }
  return out;
}

/** Raw NAB score of one file when every point scoring ≥ threshold is a detection. */
export function rawAt(f: ScoredFile, threshold: number, profile = STANDARD): number {
  const best = new Float64Array(f.windows).fill(-profile.fn);
  let fp = 0;
  for (let k = 0; k < f.scores.length; k++) {
    if (f.scores[k]! < threshold) continue;
    const w = f.windowOf[k]!;
    if (w < 0) fp += f.sweep[k]!;
    else if (f.sweep[k]! > best[w]!) best[w] = f.sweep[k]!;
  }
  let total = fp;
  for (const b of best) total += b;
  return total;
}

/** The normalised score (0 = never fire, 100 = perfect) of a raw total over `windows` windows. */
export function normalised(raw: number, windows: number, profile = STANDARD): number {
  const nullScore = -profile.fn * windows;
  return (100 * (raw - nullScore)) / (profile.tp * windows - nullScore);
}

/** The threshold that maximises the summed raw score of `files` (exact sweep over their scores). */
export function bestThreshold(files: readonly ScoredFile[], profile = STANDARD): { threshold: number; raw: number } {
  const pts: { s: number; key: number; sweep: number }[] = [];
  const best = new Map<number, number>();
  let base = 0;
  files.forEach((f, fi) => {
    for (let w = 0; w < f.windows; w++) best.set(fi * 1e4 + w, -profile.fn);
    base -= profile.fn * f.windows;
    for (let k = 0; k < f.scores.length; k++) {
      const w = f.windowOf[k]!;
      pts.push({ s: f.scores[k]!, key: w < 0 ? -1 : fi * 1e4 + w, sweep: f.sweep[k]! });
    }
  });
  pts.sort((a, b) => b.s - a.s);
  let total = base;
  let result = { threshold: 1.1, raw: total };
  for (let i = 0; i < pts.length; i++) {
    const p = pts[i]!;
    if (p.key < 0) total += p.sweep;
    else {
      const old = best.get(p.key)!;
      if (p.sweep > old) {
        total += p.sweep - old;
        best.set(p.key, p.sweep);
      }
    }
    const next = pts[i + 1];
    if ((!next || next.s !== p.s) && total > result.raw) result = { threshold: p.s, raw: total };
  }
  return result;
}
