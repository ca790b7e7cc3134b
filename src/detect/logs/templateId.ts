// Stable template ids: a hash of the template text when it was first seen, so that the same log
// statement gets the same id after a restart or on another node, whatever order lines arrive in.
import { createHash } from 'node:crypto';

/** `T` + 16 hex chars of SHA-256 over the masked template text. */
export function templateIdOf(templateText: string): string {
  return 'T' + createHash('sha256').update(templateText).digest('hex').slice(0, 16);
}
