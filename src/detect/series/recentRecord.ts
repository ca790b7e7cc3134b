// The largest value seen within a time horizon (and at most a number of points back), kept as a
// monotonic deque: O(1) amortised per push, plain arrays so it serialises to JSON.

export interface RecentRecordState {
  horizonMs: number;
  maxPoints: number;
  /** Values pushed so far (also the index the next push gets). */
  seen: number;
  /** Candidates for the record, oldest first; values strictly decreasing. */
  times: number[];
  indexes: number[];
  values: number[];
}

export class RecentRecord {
  private constructor(private readonly s: RecentRecordState) {}

  static empty(horizonMs: number, maxPoints: number): RecentRecord {
    return new RecentRecord({ horizonMs, maxPoints, seen: 0, times: [], indexes: [], values: [] });
  }

  static restore(state: RecentRecordState): RecentRecord {
    return new RecentRecord({ ...state, times: [...state.times], indexes: [...state.indexes], values: [...state.values] });
  }

  get seen(): number {
    return this.s.seen;
  }

  /** The largest value pushed within the horizon before `timeMs`; undefined when there is none. */
  record(timeMs: number): number | undefined {
    const s = this.s;
    while (s.times.length > 0 && ((s.times[0] as number) < timeMs - s.horizonMs || (s.indexes[0] as number) < s.seen - s.maxPoints)) {
      s.times.shift();
      s.indexes.shift();
      s.values.shift();
    }
    return s.values[0];
  }

  push(timeMs: number, value: number): void {
    const s = this.s;
    // An older value no larger than this one can never be the record again.
    while (s.values.length > 0 && (s.values[s.values.length - 1] as number) <= value) {
      s.times.pop();
      s.indexes.pop();
      s.values.pop();
    }
    s.times.push(timeMs);
    s.indexes.push(s.seen);
    s.values.push(value);
    s.seen++;
  }

  snapshot(): RecentRecordState {
    return { ...this.s, times: [...this.s.times], indexes: [...this.s.indexes], values: [...this.s.values] };
  }
}
