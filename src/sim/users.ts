// The shop's customers: a fixed, seeded population with a skewed activity (a few heavy users, a
// long tail), a plan tier and a country, so "affected customers and segments" has real answers.

import type { SeededRandom } from './rng.js';

export interface ShopUser {
  id: string; // enduser.id
  tier: 'free' | 'plus' | 'business';
  country: string;
}

const COUNTRIES = ['US', 'US', 'US', 'DE', 'GB', 'FR', 'CA', 'NL', 'BR', 'IN', 'JP', 'AU'];

export class UserPopulation {
  readonly users: ShopUser[];

  constructor(rng: SeededRandom, size = 4000) {
    this.users = [];
    for (let i = 0; i < size; i++) {
      const roll = rng.next();
      this.users.push({
        id: `usr_${rng.hex(5)}`,
        tier: roll < 0.06 ? 'business' : roll < 0.3 ? 'plus' : 'free',
        country: rng.pick(COUNTRIES),
      });
    }
  }

  /** A visitor: skewed toward the first users; `signedIn` false gives an anonymous browser. */
  visitor(rng: SeededRandom, signedIn: boolean): ShopUser | undefined {
    if (!signedIn) return undefined;
    const r = rng.next();
    return this.users[Math.floor(r * r * this.users.length)];
  }
}
