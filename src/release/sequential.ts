// Anytime-valid sequential tests (mixture SPRT, Lindon et al., "Rapid Regression Detection in
// Software Deployments through Sequential Testing", KDD 2022). A likelihood ratio mixed over a
// fixed grid of alternatives is a nonnegative supermartingale under the null hypothesis, so by
// Ville's inequality P(it ever reaches 1/alpha) <= alpha: the verdict may be read after every
// bucket, for as long as one likes, without inflating false alarms. Pure arithmetic on JSON state.

/** A mixture test's state: the log likelihood ratio of each alternative on its grid. */
export interface MixtureState {
  /** Ratio of the alternative to the null boundary, one per grid point (fixed at creation). */
  grid: number[];
  logLr: number[];
  /** The largest mixture likelihood ratio seen so far (for the anytime p-value). */
  maxLr: number;
  /** Events and exposures folded in so far (candidate, baseline), for reports. */
  events: [number, number];
  exposure: [number, number];
  /** Per alternative, the lowest log likelihood ratio so far and when it was reached (see `markLow`); absent until a time is given. */
  low?: { logLr: number[]; atMs: number[] };
}

/** Alternatives above the null boundary: from noise-level to dramatic changes, evenly weighted in log space. */
export const harmGrid = [1.1, 1.25, 1.5, 2, 3, 5, 10, 30];
/** Alternatives below the boundary, for "no harm" tests (the change is smaller than the boundary). */
export const noHarmGrid = [0.9, 0.75, 0.5, 0.3, 0.1];

export function newMixture(grid: readonly number[]): MixtureState {
  return { grid: [...grid], logLr: grid.map(() => 0), maxLr: 1, events: [0, 0], exposure: [0, 0] };
}

/** The mixture likelihood ratio (equal weights): a supermartingale under the null hypothesis. */
export function mixtureLr(s: MixtureState): number {
  if (!s.logLr.length) return 1;
  let sum = 0;
  for (const l of s.logLr) sum += Math.exp(Math.min(l, 700));
  return sum / s.logLr.length;
}

/** Anytime-valid p-value: the probability under the null of a ratio this large ever, at most 1/max ratio. */
export function anytimePValue(s: MixtureState): number {
  return Math.min(1, 1 / s.maxLr);
}

export function rejects(s: MixtureState, alpha: number): boolean {
  return s.maxLr >= 1 / alpha;
}

/**
 * Records, after an update covering [fromMs, toMs), where each alternative's log likelihood ratio
 * stands at its lowest so far; the test starts at 0 at the `fromMs` of its first call. Under the
 * null every ratio drifts down, and after a change to a worse version the fitting ones climb, so
 * the last low marks where the evidence of the change begins (Page's CUSUM change-point estimate).
 */
export function markLow(s: MixtureState, fromMs: number, toMs: number): void {
  const low = (s.low ??= { logLr: s.grid.map(() => 0), atMs: s.grid.map(() => fromMs) });
  s.logLr.forEach((l, i) => {
    if (l < (low.logLr[i] ?? 0)) {
      low.logLr[i] = l;
      low.atMs[i] = toMs;
    }
  });
}

/**
 * When the change this test found began: the low of the alternative that climbed most since its
 * own low (the generalised likelihood ratio's change-point, maximised over the grid); undefined
 * when no time was ever marked.
 */
export function changeOnsetMs(s: MixtureState): number | undefined {
  const low = s.low;
  if (!low) return undefined;
  let best = -Infinity;
  let at: number | undefined;
  s.logLr.forEach((l, i) => {
    const rise = l - (low.logLr[i] ?? 0);
    if (rise > best) [best, at] = [rise, low.atMs[i]];
  });
  return at;
}

function refreshMax(s: MixtureState): void {
  const lr = mixtureLr(s);
  if (lr > s.maxLr) s.maxLr = lr;
}

/**
 * Two arms serving at once (canary): candidate and baseline events (errors, or requests above a
 * latency threshold) among their requests in one bucket. Conditioned on the bucket's total events,
 * the candidate's share is binomial with p = θρ/(θρ+1−ρ), ρ the candidate's request share and θ
 * the ratio of the two event rates; the null is θ <= `boundary` (`harm` tests) or θ >= `boundary`
 * (no-harm tests, grid below 1). With per-request (binomial) events the true conditional law is
 * hypergeometric, which the binomial dominates in convex order, so the ratio stays a
 * supermartingale (Hoeffding 1963): the test is conservative, never anti-conservative.
 */
export function updateTwoArm(
  s: MixtureState,
  boundary: number,
  candidate: { events: number; requests: number },
  baseline: { events: number; requests: number },
): void {
  s.events[0] += candidate.events;
  s.events[1] += baseline.events;
  s.exposure[0] += candidate.requests;
  s.exposure[1] += baseline.requests;
  if (candidate.requests <= 0 || baseline.requests <= 0 || candidate.events + baseline.events === 0) return;
  const rho = candidate.requests / (candidate.requests + baseline.requests);
  const p0 = share(boundary, rho);
  for (let i = 0; i < s.grid.length; i++) {
    const p = share(boundary * (s.grid[i] ?? 1), rho);
    s.logLr[i] = (s.logLr[i] ?? 0) + candidate.events * Math.log(p / p0) + baseline.events * Math.log((1 - p) / (1 - p0));
  }
  refreshMax(s);
}

function share(ratio: number, rho: number): number {
  return (ratio * rho) / (ratio * rho + 1 - rho);
}

/**
 * One arm against a fixed reference rate (the previous version's, measured before the deploy):
 * `events` of `requests` are binomial with rate q; the null is q <= `reference` (harm tests) or
 * q >= `reference` (no-harm tests). The reference must be fixed before the data it judges.
 */
export function updateOneArm(s: MixtureState, reference: number, candidate: { events: number; requests: number }): void {
  s.events[0] += candidate.events;
  s.exposure[0] += candidate.requests;
  if (candidate.requests <= 0 || reference <= 0 || reference >= 1) return;
  const q0 = reference;
  const misses = candidate.requests - candidate.events;
  for (let i = 0; i < s.grid.length; i++) {
    const q = Math.min(0.999, q0 * (s.grid[i] ?? 1));
    s.logLr[i] = (s.logLr[i] ?? 0) + candidate.events * Math.log(q / q0) + misses * Math.log((1 - q) / (1 - q0));
  }
  refreshMax(s);
}

/**
 * An upper confidence bound for a rate from `events` of `requests` (Wilson score, z standard
 * errors): the reference a one-arm test compares against, so an unlucky quiet baseline hour does
 * not make the new version look worse than it is.
 */
export function upperRateBound(events: number, requests: number, z = 3): number {
  if (requests <= 0) return 1;
  const p = events / requests;
  const z2 = z * z;
  const centre = p + z2 / (2 * requests);
  const spread = z * Math.sqrt((p * (1 - p)) / requests + z2 / (4 * requests * requests));
  return Math.min(1, (centre + spread) / (1 + z2 / requests));
}
