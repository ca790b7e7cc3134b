// The demo's customers: Poisson arrivals at the frontend following a time-compressed daily
// cycle and the live traffic factor (the traffic-drop fault), from a seeded user population.
// Requests go through fetch (not the instrumented http module) and carry no trace context, like
// browsers, so traces start at the frontend.

import { dailyFactor, ENTRY_MIX, SeededRandom, UserPopulation } from '../sim/index.js';
import type { Conditions } from '../sim/index.js';

export interface TrafficOptions {
  frontendPort: () => number;
  rps: number;
  dayMs: number;
  seed: number;
  conditions: () => Conditions;
  maxInFlight?: number;
}

export class TrafficGenerator {
  private timer?: NodeJS.Timeout;
  private inFlight = 0;
  private readonly rng: SeededRandom;
  private readonly users: UserPopulation;
  sent = 0;
  answered = new Map<number, number>();

  constructor(private readonly options: TrafficOptions) {
    this.rng = new SeededRandom(options.seed);
    this.users = new UserPopulation(new SeededRandom(options.seed * 31 + 7));
  }

  start(): void {
    const tickMs = 100;
    this.timer = setInterval(() => {
      const now = Date.now();
      const rate = this.options.rps * dailyFactor(now, this.options.dayMs) * this.options.conditions().trafficFactor;
      const n = this.rng.poisson((rate * tickMs) / 1000);
      for (let i = 0; i < n; i++) setTimeout(() => this.send(), this.rng.next() * tickMs);
    }, tickMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private send(): void {
    if (this.inFlight >= (this.options.maxInFlight ?? 200)) return;
    const rng = this.rng;
    let r = rng.next();
    const entry = ENTRY_MIX.find((e) => (r -= e.share) < 0) ?? ENTRY_MIX[0];
    if (!entry) return;
    const user = this.users.visitor(rng, entry.method === 'POST' || rng.chance(0.55));
    const sku = `SKU-${rng.int(10000, 10999)}`;
    const headers: Record<string, string> = { 'x-sku': sku, 'x-order-id': `ord_${rng.hex(4)}`, 'x-country': user?.country ?? 'US' };
    if (user) headers['x-user-id'] = user.id;
    const path = entry.route.replace('{id}', sku.slice(4));
    this.inFlight++;
    this.sent++;
    const url = `http://127.0.0.1:${this.options.frontendPort()}${path}`;
    fetch(url, { method: entry.method, headers, signal: AbortSignal.timeout(15_000) })
      .then(async (res) => {
        await res.arrayBuffer();
        this.answered.set(res.status, (this.answered.get(res.status) ?? 0) + 1);
      })
      .catch(() => this.answered.set(0, (this.answered.get(0) ?? 0) + 1))
      .finally(() => this.inFlight--);
  }
}
