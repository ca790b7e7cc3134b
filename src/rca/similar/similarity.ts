// Similar incidents: a weighted Jaccard similarity over signatures, the top-k past incidents
// with how they were resolved and their still-open review action items, and recurring groups.

import type { IncidentSignature, SimilarIncident } from '../../model/index.js';

export type { SimilarIncident };

export interface PastIncident {
  incidentId: string;
  title: string;
  startedAtMs: number;
  signature: IncidentSignature;
  /** How it was fixed, from the review or the resolve note. */
  resolution: string;
  openActionItems: string[];
}

/** Weights per signature field; a field empty on both sides is left out rather than counted equal. */
const WEIGHTS = { services: 0.25, signalKinds: 0.1, fingerprints: 0.2, templates: 0.1, rootCause: 0.25, rootCauseKind: 0.1 } as const;
/** The weights, for code that scores signatures its own way and must agree (reviews/recurrence.ts). */
export const SIMILARITY_WEIGHTS = WEIGHTS;

function jaccard(a: readonly string[], b: readonly string[]): number {
  const sa = new Set(a);
  const inter = b.filter((x) => sa.has(x)).length;
  const union = new Set([...a, ...b]).size;
  return union === 0 ? 0 : inter / union;
}

export function signatureSimilarity(a: IncidentSignature, b: IncidentSignature): number {
  let total = 0;
  let weight = 0;
  const add = (w: number, present: boolean, value: number): void => {
    if (!present) return;
    total += w * value;
    weight += w;
  };
  add(WEIGHTS.services, a.services.length + b.services.length > 0, jaccard(a.services, b.services));
  add(WEIGHTS.signalKinds, a.signalKinds.length + b.signalKinds.length > 0, jaccard(a.signalKinds, b.signalKinds));
  add(WEIGHTS.fingerprints, a.fingerprints.length + b.fingerprints.length > 0, jaccard(a.fingerprints, b.fingerprints));
  add(WEIGHTS.templates, a.templates.length + b.templates.length > 0, jaccard(a.templates, b.templates));
  add(WEIGHTS.rootCause, a.rootCause !== '' || b.rootCause !== '', a.rootCause === b.rootCause ? 1 : 0);
  add(WEIGHTS.rootCauseKind, a.rootCauseKind !== '' || b.rootCauseKind !== '', a.rootCauseKind === b.rootCauseKind ? 1 : 0);
  return weight === 0 ? 0 : total / weight;
}

export function findSimilarIncidents(signature: IncidentSignature, past: readonly PastIncident[], k = 3, minSimilarity = 0.3): SimilarIncident[] {
  return past
    .map((p) => ({ p, similarity: signatureSimilarity(signature, p.signature) }))
    .filter(({ similarity }) => similarity >= minSimilarity)
    .sort((a, b) => b.similarity - a.similarity || b.p.startedAtMs - a.p.startedAtMs || a.p.incidentId.localeCompare(b.p.incidentId))
    .slice(0, k)
    .map(({ p, similarity }) => ({
      incidentId: p.incidentId,
      similarity: Math.round(similarity * 1000) / 1000,
      title: p.title,
      resolution: p.resolution,
      openActionItems: [...p.openActionItems],
    }));
}

export interface RecurringPattern {
  /** Oldest first. */
  incidentIds: string[];
  count: number;
  /** What the group has in common, e.g. "payment:bad-deploy; services payment, payment-db". */
  label: string;
  firstMs: number;
  lastMs: number;
  openActionItems: string[];
}

/** Groups past incidents that look alike (single-link at `threshold`); groups of 2+ recur. */
export function recurringPatterns(past: readonly PastIncident[], threshold = 0.6): RecurringPattern[] {
  const parent = past.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i] ?? i)));
  for (let i = 0; i < past.length; i++) {
    for (let j = i + 1; j < past.length; j++) {
      if (signatureSimilarity(past[i]!.signature, past[j]!.signature) >= threshold) parent[find(j)] = find(i);
    }
  }
  const groups = new Map<number, PastIncident[]>();
  past.forEach((p, i) => groups.set(find(i), [...(groups.get(find(i)) ?? []), p]));
  return [...groups.values()]
    .filter((g) => g.length >= 2)
    .map((g) => {
      const members = [...g].sort((a, b) => a.startedAtMs - b.startedAtMs);
      return {
        incidentIds: members.map((m) => m.incidentId),
        count: members.length,
        label: labelOf(members),
        firstMs: members[0]!.startedAtMs,
        lastMs: members[members.length - 1]!.startedAtMs,
        openActionItems: [...new Set(members.flatMap((m) => m.openActionItems))],
      };
    })
    .sort((a, b) => b.count - a.count || b.lastMs - a.lastMs);
}

function labelOf(members: readonly PastIncident[]): string {
  const common = (pick: (s: IncidentSignature) => readonly string[]): string[] =>
    members.reduce<string[]>((acc, m, i) => (i === 0 ? [...pick(m.signature)] : acc.filter((x) => pick(m.signature).includes(x))), []);
  const causes = [...new Set(members.map((m) => m.signature.rootCause).filter((c) => c !== ''))];
  const parts = [
    causes.length === 1 ? causes[0]! : '',
    common((s) => s.services).length ? `services ${common((s) => s.services).join(', ')}` : '',
    common((s) => s.fingerprints).length ? `exceptions ${common((s) => s.fingerprints).join(', ')}` : '',
  ].filter((p) => p !== '');
  return parts.join('; ') || 'similar signals';
}
