// Gaussian tail surprise: turns a robust z-score into −log10 of its two-sided tail probability,
// so detectors on different scales combine on one axis. Asymptotic form keeps it finite at |z|≫8.

/** −log10 P(|Z| ≥ |z|) for a standard normal Z; 0 for z = 0, grows like z²/(2·ln 10). */
export function tailSurprise(z: number): number {
  const a = Math.abs(z);
  if (!Number.isFinite(a)) return 300;
  if (a < 6) return -Math.log10(Math.max(erfc(a / Math.SQRT2), 1e-300));
  // Mills ratio: P(|Z| ≥ a) ≈ 2·φ(a)/a · (1 − 1/a²)
  const lnP = Math.log(2) - (a * a) / 2 - Math.log(a * Math.sqrt(2 * Math.PI)) + Math.log(1 - 1 / (a * a));
  return Math.min(300, -lnP / Math.LN10);
}

/** Complementary error function (Numerical Recipes erfcc, relative error < 1.2e-7). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 + t * (-1.13520398 + t * (1.48851627 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}
