// Trace ids of synthetic runs carry a fixed leading mark, so every span of such a trace is known as
// synthetic traffic, including the backend's own spans that Vigil never tags. It needs no shared
// state: it holds after a restart, across Vigils and in the store. W3C Trace Context level 2 asks
// randomness of the right-most 7 bytes only, so fixing the first 4 keeps each id unique and valid;
// a customer trace takes the mark by chance once in 2^32.
// The checks' runner makes the ids (synthetics/run.ts); detection and the rest only read the mark.

export const syntheticTraceMark = '5717e71c';

export const isSyntheticTrace = (traceId: string): boolean => traceId.startsWith(syntheticTraceMark);

/** The spans customers caused: synthetic traces left out (the same array when there are none, the usual case). */
export function customerSpans<T extends { traceId: string }>(spans: readonly T[]): readonly T[] {
  if (!spans.some((s) => isSyntheticTrace(s.traceId))) return spans;
  return spans.filter((s) => !isSyntheticTrace(s.traceId));
}
