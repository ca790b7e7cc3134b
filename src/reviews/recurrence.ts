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
  let best: RepeatOf | undefined;
  for (const p of history) {
    if (!isEarlierResolved(incident, p, windowMs)) continue;
    const similarity = signatureSimilarity(incident.signature, p.signature!);
    // Equally similar: the latest occurrence is the one this repeats.
    if (similarity >= REPEAT_SIMILARITY && (!best || similarity > best.similarity || (similarity === best.similarity && p.resolvedAtMs! > best.resolvedAtMs))) best = { incidentId: p.id, title: p.title, similarity: round3(similarity), resolvedAtMs: p.resolvedAtMs! };
  }
  return best;
}

function isEarlierResolved(incident: Candidate, p: Candidate, windowMs: number): boolean {
  return p.id !== incident.id && p.signature !== undefined && p.resolvedAtMs !== undefined && p.resolvedAtMs <= incident.startedAtMs && incident.startedAtMs - p.resolvedAtMs <= windowMs;
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * Repeats among `incidents` judged against `history` (which must reach 90 days before the first),
 * by id. Candidates are narrowed with an index on services and top cause: two signatures whose
 * services are both known and disjoint and whose top causes differ cannot reach 0.6 (at most 0.5
 * of the weight is left to match), so only pairs sharing one of them, or lacking either, are scored.
 */
export function findRepeats(incidents: readonly Candidate[], history: readonly Candidate[], windowMs = REPEAT_WINDOW_MS): Map<string, RepeatOf> {
  const byKey = new Map<string, Candidate[]>();
  const unkeyed: Candidate[] = [];
  const keysOf = (s: IncidentSignature): string[] => [...s.services.map((x) => `s:${x}`), ...(s.rootCause ? [`c:${s.rootCause}`] : [])];
  for (const p of history) {
    if (!p.signature || p.resolvedAtMs === undefined) continue;
    if (!p.signature.services.length || !p.signature.rootCause) unkeyed.push(p);
    for (const k of keysOf(p.signature)) byKey.set(k, [...(byKey.get(k) ?? []), p]);
  }
  const out = new Map<string, RepeatOf>();
  for (const incident of incidents) {
    if (!incident.signature) continue;
    const s = incident.signature;
    const pool = !s.services.length || !s.rootCause ? history : [...new Set([...keysOf(s).flatMap((k) => byKey.get(k) ?? []), ...unkeyed])];
    const found = repeatOf(incident, pool, windowMs);
    if (found) out.set(incident.id, found);
  }
  return out;
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
