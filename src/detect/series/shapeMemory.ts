// Shape novelty: a bounded memory of the window shapes a series has shown (online clustering with
// a vigilance radius, least recently used forgotten first) that says how unlike anything seen the
// current window is. Records of single-point surprises miss a pattern made of ordinary points
// (spikes of the usual height that come denser); a shape never seen before does not.
import { RollingWindow } from './rollingWindow.js';
import type { RollingWindowState } from './rollingWindow.js';

export interface ShapeMemoryState {
  capacity: number;
  /** Centroids of the remembered shapes, each a feature vector. */
  prototypes: number[][];
  /** Windows each prototype has absorbed (sets its learning rate). */
  counts: number[];
  /** Observation index at which each prototype was last the nearest. */
  lastUsed: number[];
  observed: number;
  /** Recent nearest distances: their upper quantile is the typical distance. */
  distances: RollingWindowState;
}

/** Recent nearest distances kept to judge what a typical distance is. */
const DISTANCE_HISTORY = 256;

/**
 * The typical distance is this quantile of recent nearest distances: a median collapses to ~0 on
 * smooth or repetitive series and makes any tiny deviation look new.
 */
const TYPICAL_QUANTILE = 0.9;

/** Distances below this (feature units) are never news, however repetitive the series. */
const DISTANCE_FLOOR = 0.05;

/** A prototype learns from at most this many windows, so it keeps following slow drift. */
const MAX_WEIGHT = 64;

export class ShapeMemory {
  private constructor(
    private readonly s: Omit<ShapeMemoryState, 'distances'>,
    private readonly distances: RollingWindow,
  ) {}

  static empty(capacity: number): ShapeMemory {
    return new ShapeMemory({ capacity, prototypes: [], counts: [], lastUsed: [], observed: 0 }, new RollingWindow(DISTANCE_HISTORY));
  }

  static restore(state: ShapeMemoryState): ShapeMemory {
    const { distances, ...rest } = state;
    return new ShapeMemory(
      { ...rest, prototypes: state.prototypes.map((p) => [...p]), counts: [...state.counts], lastUsed: [...state.lastUsed] },
      RollingWindow.restore(distances),
    );
  }

  get observed(): number {
    return this.s.observed;
  }

  /**
   * How far `shape` is from its nearest remembered shape in units of the typical nearest distance
   * (0 while nothing is remembered); then learns it: a shape within `vigilance` typical distances
   * refines its prototype, a farther one becomes a new prototype.
   */
  observe(shape: readonly number[], vigilance: number): number {
    const s = this.s;
    let nearest = -1;
    let best = Number.POSITIVE_INFINITY;
    s.prototypes.forEach((p, i) => {
      const d = distance(p, shape);
      if (d < best) {
        best = d;
        nearest = i;
      }
    });
    const typical = this.distances.size > 0 ? Math.max(DISTANCE_FLOOR, this.distances.quantile(TYPICAL_QUANTILE)) : DISTANCE_FLOOR;
    const novelty = nearest < 0 ? 0 : best / typical;
    s.observed++;
    if (nearest >= 0 && novelty <= vigilance) {
      const p = s.prototypes[nearest] as number[];
      const weight = Math.min((s.counts[nearest] as number) + 1, MAX_WEIGHT);
      for (let k = 0; k < p.length; k++) p[k] = (p[k] as number) + ((shape[k] as number) - (p[k] as number)) / weight;
      s.counts[nearest] = (s.counts[nearest] as number) + 1;
      s.lastUsed[nearest] = s.observed;
    } else this.remember(shape);
    if (nearest >= 0) this.distances.push(best);
    return novelty;
  }

  private remember(shape: readonly number[]): void {
    const s = this.s;
    let slot = s.prototypes.length;
    if (slot >= s.capacity) {
      slot = 0;
      for (let i = 1; i < s.lastUsed.length; i++) if ((s.lastUsed[i] as number) < (s.lastUsed[slot] as number)) slot = i;
    }
    s.prototypes[slot] = [...shape];
    s.counts[slot] = 1;
    s.lastUsed[slot] = s.observed;
  }

  snapshot(): ShapeMemoryState {
    const s = this.s;
    return {
      ...s,
      prototypes: s.prototypes.map((p) => [...p]),
      counts: [...s.counts],
      lastUsed: [...s.lastUsed],
      distances: this.distances.snapshot(),
    };
  }
}

/**
 * The shape of a window (oldest first) as features: the means of `bins` equal runs, each as a
 * robust z against the long `centre`/`spread`, log-compressed (a spike of 1,000 spreads is not
 * 100 times stranger than one of 10) and sorted, so the same burst anywhere in the window matches.
 */
export function windowShape(window: readonly number[], bins: number, centre: number, spread: number): number[] {
  const per = Math.max(1, Math.floor(window.length / bins));
  const floor = 1e-9 * Math.max(1, Math.abs(centre));
  const shape: number[] = [];
  for (let b = 0; b < bins; b++) {
    let sum = 0;
    for (let k = b * per; k < (b + 1) * per; k++) sum += window[k] ?? centre;
    const dev = sum / per - centre;
    const z = spread <= floor ? (Math.abs(dev) <= floor ? 0 : Math.sign(dev) * 1e3) : dev / spread;
    shape.push(Math.sign(z) * Math.log1p(Math.abs(z)));
  }
  return shape.sort((a, b) => a - b);
}

/** Root mean square difference, so the scale does not depend on the number of features. */
function distance(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let k = 0; k < a.length; k++) {
    const d = (a[k] as number) - (b[k] as number);
    sum += d * d;
  }
  return Math.sqrt(sum / Math.max(1, a.length));
}
