// Recurrence: an incident that looks like one resolved in the 90 days before it began is a repeat.
// Similarity is rca's signature similarity at the bar its recurring-pattern grouping uses (0.6),
// so "repeat" here and "recurring pattern" there agree. Pure: history in, decisions out.
import { signatureSimilarity, type IncidentSignature } from '../rca/index.js';
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
    // Equally similar: the latest occurrence is the one this repeats.
    if (similarity >= REPEAT_SIMILARITY && (!best || similarity > best.similarity || (similarity === best.similarity && p.resolvedAtMs! > best.p.resolvedAtMs!))) best = { p, similarity };
  }
  return best ? { incidentId: best.p.id, title: best.p.title, similarity: round3(best.similarity), resolvedAtMs: best.p.resolvedAtMs! } : undefined;
}

function isEarlierResolved(incident: Candidate, p: Candidate, windowMs: number): boolean {
  return p.id !== incident.id && p.signature !== undefined && p.resolvedAtMs !== undefined && p.resolvedAtMs <= incident.startedAtMs && incident.startedAtMs - p.resolvedAtMs <= windowMs;
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * Repeats among `incidents` judged against `history` (which must reach 90 days before the first),
 * by id. Two shortcuts keep a year of incidents fast, both exact: an identical signature is the
 * only way to similarity 1, so the latest identical one resolved in the window is the answer when
 * there is one; otherwise candidates come from an index on services and top cause, each list sorted
 * by resolution time, cut to the window and scored once per distinct signature, because two signatures whose services are both known
 * and disjoint and whose top causes differ cannot reach 0.6 (at most 0.5 of the weight is left).
 */
export function findRepeats(incidents: readonly Candidate[], history: readonly Candidate[], windowMs = REPEAT_WINDOW_MS): Map<string, RepeatOf> {
  const resolved = history.filter((p) => p.signature && p.resolvedAtMs !== undefined).sort((a, b) => a.resolvedAtMs! - b.resolvedAtMs!);
  const exact = new Map<string, Candidate[]>();
  const byKey = new Map<string, Candidate[]>();
  const unkeyed: Candidate[] = [];
  const keysOf = (s: IncidentSignature): string[] => [...s.services.map((x) => `s:${x}`), ...(s.rootCause ? [`c:${s.rootCause}`] : [])];
  const push = (m: Map<string, Candidate[]>, k: string, p: Candidate): void => {
    const list = m.get(k);
    if (list) list.push(p);
    else m.set(k, [p]);
  };
  const keyOf = new Map<Candidate, string>();
  for (const p of resolved) {
    keyOf.set(p, exactKey(p.signature!));
    push(exact, keyOf.get(p)!, p);
    if (!p.signature!.services.length || !p.signature!.rootCause) unkeyed.push(p);
    for (const k of keysOf(p.signature!)) push(byKey, k, p);
  }
  const out = new Map<string, RepeatOf>();
  for (const incident of incidents) {
    const s = incident.signature;
    if (!s) continue;
    const inWindow = (list: readonly Candidate[]): Candidate[] => windowSlice(list, incident.startedAtMs - windowMs, incident.startedAtMs);
    const same = inWindow(exact.get(exactKey(s)) ?? []).filter((p) => p.id !== incident.id);
    const latest = same[same.length - 1];
    if (latest) {
      out.set(incident.id, { incidentId: latest.id, title: latest.title, similarity: 1, resolvedAtMs: latest.resolvedAtMs! });
      continue;
    }
    const pool = !s.services.length || !s.rootCause ? inWindow(resolved) : [...new Set([...keysOf(s).flatMap((k) => inWindow(byKey.get(k) ?? [])), ...inWindow(unkeyed)])];
    // Candidates with one signature score alike, and among equals the latest wins: score each
    // signature once, through its latest occurrence.
    const latestBySignature = new Map<string, Candidate>();
    for (const p of pool) {
      const k = keyOf.get(p) ?? exactKey(p.signature!);
      const seen = latestBySignature.get(k);
      if (!seen || p.resolvedAtMs! > seen.resolvedAtMs!) latestBySignature.set(k, p);
    }
    const found = repeatOf(incident, [...latestBySignature.values()], windowMs);
    if (found) out.set(incident.id, found);
  }
  return out;
}

/** Equal keys ⇔ similarity 1: the sets as sets (signatures are sorted already; a hand-made one may not be). */
const canonical = (xs: readonly string[]): string[] => [...new Set(xs)].sort();
const exactKey = (s: IncidentSignature): string => JSON.stringify([canonical(s.services), canonical(s.signalKinds), canonical(s.fingerprints), canonical(s.templates), s.rootCause, s.rootCauseKind]);

/** The candidates (sorted by resolution time) resolved in [fromMs, toMs]. */
function windowSlice(list: readonly Candidate[], fromMs: number, toMs: number): Candidate[] {
  const first = lowerBound(list, fromMs);
  const end = lowerBound(list, toMs + 1);
  return list.slice(first, end);
}

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
export function resurfacedActionItems(incident: Candidate, history: readonly Candidate[], items: readonly ActionItem[]): Array<ActionItem & { fromIncidentTitle: string; similarity: number }> {
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
