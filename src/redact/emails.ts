// Email addresses replaced by a keyed hash: `email:<16 hex of HMAC-SHA256(salt, lowercased
// address)>`. Keyed, so a stolen data directory cannot be reversed by hashing a list of addresses;
// stable, so the same person counts once in "affected users" across services and restarts.
import { createHmac } from 'node:crypto';

// The lookbehind starts a match only at the beginning of a run of address characters, which keeps
// the scan linear on long values; the parts are bounded by the limits of RFC 5321.
const EMAIL = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}\b/g;

const MAX_CACHED = 10_000;

export class EmailHasher {
  private readonly cache = new Map<string, string>();

  constructor(private readonly salt: string | Buffer) {}

  hash(email: string): string {
    const normalised = email.toLowerCase();
    let hashed = this.cache.get(normalised);
    if (hashed === undefined) {
      hashed = `email:${createHmac('sha256', this.salt).update(normalised).digest('hex').slice(0, 16)}`;
      if (this.cache.size >= MAX_CACHED) this.cache.clear();
      this.cache.set(normalised, hashed);
    }
    return hashed;
  }

  /** Every address in `text` hashed; the same string when it holds none. */
  replaceIn(text: string): string {
    if (!text.includes('@')) return text;
    return text.replace(EMAIL, (m) => this.hash(m));
  }
}
