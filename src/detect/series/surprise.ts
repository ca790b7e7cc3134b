// Surprise of a robust z-score on a log10 scale, so detectors on different scales add up. Real
// series are heavy-tailed: a Gaussian tail would make a spike 3x past the record look 9x rarer
// in log terms and swamp the one threshold every series shares; a Student-t tail does not.

/**
 * −log10 of the Student-t(ν) density at z relative to its peak: ≈ z²/(2·ln 10) (the Gaussian
 * surprise) for small z, growing only like ν·log10|z| for large z. Capped for infinities.
 */
export function heavyTailSurprise(z: number, nu: number): number {
  if (!Number.isFinite(z)) return 300;
  return Math.min(300, (nu / 2) * Math.log10(1 + (z * z) / nu));
}
