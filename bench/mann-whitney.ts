// The fixed-horizon comparison bench:release measures against: a Mann-Whitney U test per metric on
// per-minute values of canary and baseline after a fixed analysis interval, as Kayenta's
// NetflixACAJudge does, with an effect-size tolerance so it is not failed for a difference the
// sequential tests also tolerate.

/** One-sided p-value that `a` tends to exceed `b` (normal approximation with tie correction). */
export function mannWhitneyGreater(a: readonly number[], b: readonly number[]): number {
  const n1 = a.length;
  const n2 = b.length;
  if (!n1 || !n2) return 1;
  const all = [...a.map((v) => ({ v, g: 0 })), ...b.map((v) => ({ v, g: 1 }))].sort((x, y) => x.v - y.v);
  const ranks = new Array<number>(all.length);
  let tieTerm = 0;
  for (let i = 0; i < all.length;) {
    let j = i;
    while (j + 1 < all.length && all[j + 1]!.v === all[i]!.v) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[k] = rank;
    const t = j - i + 1;
    tieTerm += t * t * t - t;
    i = j + 1;
  }
  let r1 = 0;
  all.forEach((x, i) => {
    if (x.g === 0) r1 += ranks[i]!;
  });
  const u = r1 - (n1 * (n1 + 1)) / 2;
  const n = n1 + n2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return 1;
  const z = (u - mean - 0.5) / Math.sqrt(variance);
  return 1 - normalCdf(z);
}

function normalCdf(z: number): number {
  // Abramowitz–Stegun 7.1.26 via erf.
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2 : 0;
};
const mean = (xs: readonly number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

/** Fails when a metric is significantly higher at `alpha` (split over the two metrics) and beyond its tolerance. */
export function kayentaStyleFails(
  candidate: ReadonlyArray<{ p95: number; errorRate: number }>,
  baseline: ReadonlyArray<{ p95: number; errorRate: number }>,
  o: { alpha: number; latencyTolerance: number; errorRatioTolerance: number },
): boolean {
  const a = o.alpha / 2;
  const cl = candidate.map((m) => m.p95);
  const bl = baseline.map((m) => m.p95);
  const latency = mannWhitneyGreater(cl, bl) < a && median(cl) > median(bl) * (1 + o.latencyTolerance);
  const ce = candidate.map((m) => m.errorRate);
  const be = baseline.map((m) => m.errorRate);
  const errors = mannWhitneyGreater(ce, be) < a && mean(ce) > mean(be) * o.errorRatioTolerance;
  return latency || errors;
}
