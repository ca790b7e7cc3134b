// Recurrence: an incident that looks like one resolved in the 90 days before it began is a repeat.
// Similarity is rca's signature similarity at the bar its recurring-pattern grouping uses (0.6),
// so "repeat" here and "recurring pattern" there agree. Pure: history in, decisions out.
import { SIMILARITY_WEIGHTS, signatureSimilarity, type IncidentSignature } from '../rca/index.js';
import type { ActionItem, IncidentFacts } from './types.js';

export const REPEAT_WINDOW_MS = 90 * 86_400_000;
export const REPEAT_SIMILARITY = 0.6;
/** The bar for "similar" when resurfacing follow-up work: rca's similar-incident bar. */
export const SIMILAR_FOR_ACTION_ITEMS = 0.3;

export interface RepeatOf {
  incidentId: string;
  title: string;
  similarity: number;
  resolvedAtMs: number;
}

type Candidate = Pick<IncidentFacts, 'id' | 'title' | 'startedAtMs' | 'resolvedAtMs' | 'signature'>;

/** The most similar earlier incident resolved within the window before `incident` began, if any. */
export function repeatOf(incident: Candidate, history: readonly Candidate[], windowMs = REPEAT_WINDOW_MS): RepeatOf | undefined {
  if (!incident.signature) return undefined;
  let best: { p: Candidate; similarity: number } | undefined;
  for (const p of history) {
    if (!isEarlierResolved(incident, p, windowMs)) continue;
    const similarity = signatureSimilarity(incident.signature, p.signature!);
    if (similarity >= REPEAT_SIMILARITY && (!best || preferred(p, similarity, best.p, best.similarity))) best = { p, similarity };
  }
  return best ? { incidentId: best.p.id, title: best.p.title, similarity: round3(best.similarity), resolvedAtMs: best.p.resolvedAtMs! } : undefined;
}

/** The more similar; equally similar, the latest resolved (then the latest begun, then the greater id: any order of history agrees). */
function preferred(p: Candidate, similarity: number, best: Candidate, bestSimilarity: number): boolean {
  if (similarity !== bestSimilarity) return similarity > bestSimilarity;
  if (p.resolvedAtMs !== best.resolvedAtMs) return p.resolvedAtMs! > best.resolvedAtMs!;
  if (p.startedAtMs !== best.startedAtMs) return p.startedAtMs > best.startedAtMs;
  return p.id > best.id;
}

function isEarlierResolved(incident: Candidate, p: Candidate, windowMs: number): boolean {
  return (
    p.id !== incident.id &&
    p.signature !== undefined &&
    p.resolvedAtMs !== undefined &&
    p.resolvedAtMs <= incident.startedAtMs &&
    incident.startedAtMs - p.resolvedAtMs <= windowMs
  );
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * Repeats among `incidents` judged against `history` (which must reach 90 days before the first),
 * by id; the same answers as `repeatOf` for each, fast enough for a year of incidents. Earlier
 * incidents are grouped by signature (equal signatures score alike, and among equals the latest
 * wins, so each signature is scored once, through its latest occurrence in the window, found by
 * binary search). An identical signature is the only way to similarity 1, so it answers at once
 * when there is one. Otherwise only signatures sharing a service or the top cause are scored (two
 * whose services are both known and disjoint and whose top causes differ cannot reach 0.6: at most
 * 0.5 of the weight is left), with a similarity on sorted sets that allocates nothing.
 */
export function findRepeats(incidents: readonly Candidate[], history: readonly Candidate[], windowMs = REPEAT_WINDOW_MS): Map<string, RepeatOf> {
  const groups = signatureGroups(history);
  const out = new Map<string, RepeatOf>();
  const seen = new Int32Array(groups.list.length).fill(-1);
  incidents.forEach((incident, n) => {
    if (!incident.signature) return;
    const latestOf = (g: SignatureGroup): Candidate | undefined => latestInWindow(g.occurrences, incident, windowMs);
    const own = new Canonical(incident.signature);
    const same = groups.byKey.get(own.key);
    const identical = same ? latestOf(same) : undefined;
    if (identical) {
      out.set(incident.id, { incidentId: identical.id, title: identical.title, similarity: 1, resolvedAtMs: identical.resolvedAtMs! });
      return;
    }
    const keys = indexKeys(own);
    const pools = keys ? [...keys.map((k) => groups.byIndex.get(k) ?? []), groups.unindexed] : [groups.list];
    let best: Candidate | undefined;
    let bestSimilarity = 0;
    for (const pool of pools) {
      for (const g of pool) {
        if (seen[g.index] === n) continue;
        seen[g.index] = n;
        const p = latestOf(g);
        if (!p) continue;
        const similarity = canonicalSimilarity(own, g.signature);
        if (similarity >= REPEAT_SIMILARITY && (!best || preferred(p, similarity, best, bestSimilarity))) {
          best = p;
          bestSimilarity = similarity;
        }
      }
    }
    if (best) out.set(incident.id, { incidentId: best.id, title: best.title, similarity: round3(bestSimilarity), resolvedAtMs: best.resolvedAtMs! });
  });
  return out;
}

interface SignatureGroup {
  index: number;
  signature: Canonical;
  /** Resolved occurrences, by resolution time. */
  occurrences: Candidate[];
}

function signatureGroups(history: readonly Candidate[]): {
  list: SignatureGroup[];
  byKey: Map<string, SignatureGroup>;
  byIndex: Map<string, SignatureGroup[]>;
  unindexed: SignatureGroup[];
} {
  // In `preferred`'s order, so the last in a window is the one a scan would pick.
  const resolved = history
    .filter((p) => p.signature && p.resolvedAtMs !== undefined)
    .sort((a, b) => a.resolvedAtMs! - b.resolvedAtMs! || a.startedAtMs - b.startedAtMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const byKey = new Map<string, SignatureGroup>();
  const list: SignatureGroup[] = [];
  for (const p of resolved) {
    const c = new Canonical(p.signature!);
    let g = byKey.get(c.key);
    if (!g) {
      g = { index: list.length, signature: c, occurrences: [] };
      byKey.set(c.key, g);
      list.push(g);
    }
    g.occurrences.push(p);
  }
  const byIndex = new Map<string, SignatureGroup[]>();
  const unindexed: SignatureGroup[] = [];
  for (const g of list) {
    const keys = indexKeys(g.signature);
    if (!keys) unindexed.push(g);
    else for (const k of keys) byIndex.set(k, [...(byIndex.get(k) ?? []), g]);
  }
  return { list, byKey, byIndex, unindexed };
}

/** Services and top cause as index keys; undefined when either is unknown (then anything may be similar). */
const indexKeys = (c: Canonical): string[] | undefined =>
  c.services.length && c.rootCause ? [...c.services.map((x) => `s:${x}`), `c:${c.rootCause}`] : undefined;

/** The latest occurrence resolved in the window before `incident` began (never the incident itself). */
function latestInWindow(occurrences: readonly Candidate[], incident: Candidate, windowMs: number): Candidate | undefined {
  for (let i = lowerBound(occurrences, incident.startedAtMs + 1) - 1; i >= 0; i--) {
    const p = occurrences[i]!;
    if (incident.startedAtMs - p.resolvedAtMs! > windowMs) return undefined;
    if (p.id !== incident.id) return p;
  }
  return undefined;
}

/** A signature's sets sorted and deduplicated, and the key equal signatures share (⇔ similarity 1). */
class Canonical {
  readonly services: string[];
  readonly signalKinds: string[];
  readonly fingerprints: string[];
  readonly templates: string[];
  readonly rootCause: string;
  readonly rootCauseKind: string;
  readonly key: string;

  constructor(s: IncidentSignature) {
    this.services = canonical(s.services);
    this.signalKinds = canonical(s.signalKinds);
    this.fingerprints = canonical(s.fingerprints);
    this.templates = canonical(s.templates);
    this.rootCause = s.rootCause;
    this.rootCauseKind = s.rootCauseKind;
    this.key = JSON.stringify([this.services, this.signalKinds, this.fingerprints, this.templates, this.rootCause, this.rootCauseKind]);
  }
}

const setTerms = ['services', 'signalKinds', 'fingerprints', 'templates'] as const;
const rootCauseTerms = ['rootCause', 'rootCauseKind'] as const;

/** rca's signatureSimilarity (the same weights, terms and order, so the same number) on sorted sets. */
function canonicalSimilarity(a: Canonical, b: Canonical): number {
  const w = SIMILARITY_WEIGHTS;
  let total = 0;
  let weight = 0;
  // A term counts only when either side has something for it; set terms before the root-cause ones, as in rca.
  for (const k of setTerms) {
    if (a[k].length + b[k].length > 0) {
      total += w[k] * sortedJaccard(a[k], b[k]);
      weight += w[k];
    }
  }
  for (const k of rootCauseTerms) {
    if (a[k] !== '' || b[k] !== '') {
      total += w[k] * (a[k] === b[k] ? 1 : 0);
      weight += w[k];
    }
  }
  return weight === 0 ? 0 : total / weight;
}

function sortedJaccard(a: readonly string[], b: readonly string[]): number {
  let i = 0;
  let j = 0;
  let inter = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      inter++;
      i++;
      j++;
    } else if (a[i]! < b[j]!) i++;
    else j++;
  }
  const union = a.length + b.length - inter;
  return union === 0 ? 0 : inter / union;
}

/** Equal keys ⇔ similarity 1: the sets as sets (signatures are sorted already; a hand-made one may not be). */
const canonical = (xs: readonly string[]): string[] => [...new Set(xs)].sort();

function lowerBound(list: readonly Candidate[], ms: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.resolvedAtMs! < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Open action items of earlier incidents similar to this one: follow-up work that would have helped. */
export function resurfacedActionItems(
  incident: Candidate,
  history: readonly Candidate[],
  items: readonly ActionItem[],
): Array<ActionItem & { fromIncidentTitle: string; similarity: number }> {
  if (!incident.signature) return [];
  const open = items.filter((a) => a.status === 'open' && a.incidentId !== incident.id);
  if (!open.length) return [];
  const out: Array<ActionItem & { fromIncidentTitle: string; similarity: number }> = [];
  for (const p of history) {
    if (p.id === incident.id || !p.signature || p.startedAtMs >= incident.startedAtMs) continue;
    const mine = open.filter((a) => a.incidentId === p.id);
    if (!mine.length) continue;
    const similarity = signatureSimilarity(incident.signature, p.signature);
    if (similarity >= SIMILAR_FOR_ACTION_ITEMS) out.push(...mine.map((a) => ({ ...a, fromIncidentTitle: p.title, similarity: round3(similarity) })));
  }
  return out.sort((a, b) => b.similarity - a.similarity || a.createdAtMs - b.createdAtMs || a.id.localeCompare(b.id));
}
