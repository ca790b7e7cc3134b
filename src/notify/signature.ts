// HMAC-SHA256 signatures for the generic webhook, in the Stripe style: the signed text is
// `${timestamp}.${body}` so a captured request cannot be replayed later with a new timestamp.
// Exported so receivers (and Vigil's own tests) verify exactly what the sender signs.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const signatureHeader = 'x-vigil-signature';
export const timestampHeader = 'x-vigil-timestamp';

/** `v1=<hex>` over `${timestampSec}.${body}`. */
export function signWebhookBody(secret: string, timestampSec: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestampSec}.${body}`).digest('hex');
  return `v1=${mac}`;
}

export interface VerifyWebhookInput {
  secret: string;
  body: string;
  /** Header values as received. */
  signature: string | undefined;
  timestamp: string | undefined;
  nowMs: number;
  /** Oldest acceptable timestamp, against replays (default 5 minutes). */
  toleranceSec?: number;
}

export function verifyWebhookSignature(input: VerifyWebhookInput): boolean {
  const { signature, timestamp } = input;
  if (!signature || !timestamp || !/^\d+$/.test(timestamp)) return false;
  const ts = Number(timestamp);
  if (Math.abs(input.nowMs / 1000 - ts) > (input.toleranceSec ?? 300)) return false;
  const expected = Buffer.from(signWebhookBody(input.secret, ts, input.body));
  // A header may list several signatures during secret rotation: accept any that matches.
  return signature
    .split(',')
    .map((s) => Buffer.from(s.trim()))
    .some((given) => given.length === expected.length && timingSafeEqual(given, expected));
}
