// Leave-one-system-out cross-validation of the template miner's parameters on Loghub: every
// setting is scored on every system; a held-out system is scored with the setting that did best
// on the others, so the figure estimates accuracy on a system nobody tuned for.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { mineLines } from '../src/detect/logs/index.js';
import type { TemplateMinerOptions } from '../src/detect/logs/index.js';

export interface Setting {
  similarityThreshold: number;
  siblingsToGeneralise: number;
}

export interface CrossValidation {
  systems: string[];
  settings: Setting[];
  /** ga[setting][system]. */
  ga: number[][];
  /** Per system: the setting chosen on the other systems and its GA on this one. */
  heldOut: Array<{ setting: Setting; ga: number }>;
  /** The setting best on all systems together and its GA per system (in-sample). */
  inSample: { setting: Setting; ga: number[] };
}

type GroupingAccuracy = (truth: Map<string, string>, pred: Map<string, string>) => number;

/** Sibling counts above any template count turn the sibling rule off. */
export const SIBLINGS_OFF = 1_000_000;
export const SIMILARITY_GRID = [0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
export const SIBLINGS_GRID = [2, 3, 4, 6, 8, SIBLINGS_OFF];

export function describe(s: Setting): string {
  const st = s.similarityThreshold >= 1 ? 'off' : s.similarityThreshold.toFixed(1);
  const sib = s.siblingsToGeneralise >= SIBLINGS_OFF ? 'off' : String(s.siblingsToGeneralise);
  return `similarity ${st}, siblings ${sib}`;
}

function readLines(path: string): string[] {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** LineId → EventId from a Loghub truth file (the two first columns never hold commas). */
function readTruth(path: string): Map<string, string> {
  const truth = new Map<string, string>();
  for (const line of readLines(path).slice(1)) {
    const [lineId, eventId] = line.split(',', 2);
    if (lineId !== undefined && eventId !== undefined) truth.set(lineId, eventId);
  }
  return truth;
}

function argBest(scores: number[]): number {
  let best = 0;
  for (let i = 1; i < scores.length; i++) if ((scores[i] ?? 0) > (scores[best] ?? 0) + 1e-12) best = i;
  return best;
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

export async function crossValidate(dataDir: string, systems: string[], settings: Setting[]): Promise<CrossValidation> {
  // The data set's own scorer, so the figures are the ones its README defines.
  const scorer = (await import(pathToFileURL(join(dataDir, 'score.mjs')).href)) as { groupingAccuracy: GroupingAccuracy };
  const inputs = systems.map((s) => readLines(join(dataDir, s, `${s}_2k.content.txt`)));
  const truths = systems.map((s) => readTruth(join(dataDir, s, `${s}_2k.truth.csv`)));
  const ga = settings.map((setting) =>
    inputs.map((lines, k) => {
      const options: TemplateMinerOptions = { ...setting };
      const { templateIds } = mineLines(lines, options);
      const pred = new Map(templateIds.map((id, i) => [String(i + 1), id]));
      return scorer.groupingAccuracy(truths[k]!, pred);
    }),
  );
  const heldOut = systems.map((_, k) => {
    const onOthers = ga.map((row) => mean(row.filter((_, j) => j !== k)));
    const chosen = argBest(onOthers);
    return { setting: settings[chosen]!, ga: ga[chosen]![k]! };
  });
  const best = argBest(ga.map(mean));
  return { systems, settings, ga, heldOut, inSample: { setting: settings[best]!, ga: ga[best]! } };
}

export function grid(): Setting[] {
  return SIMILARITY_GRID.flatMap((similarityThreshold) => SIBLINGS_GRID.map((siblingsToGeneralise) => ({ similarityThreshold, siblingsToGeneralise })));
}
