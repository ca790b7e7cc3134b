// Stable template ids: a hash of the template text when it was first seen, so that a log statement
// keeps its id across restarts (with the miner's snapshot) and gets the same id on another node
// that first sees the same text; a template that generalises later keeps this first id.
import { createHash } from 'node:crypto';

/** `T` + 16 hex chars of SHA-256 over the masked template text. */
export function templateIdOf(templateText: string): string {
  return 'T' + createHash('sha256').update(templateText).digest('hex').slice(0, 16);
}
