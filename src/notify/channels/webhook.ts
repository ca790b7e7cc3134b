// Generic JSON webhook for anything else (PagerDuty-style bridges, chat-ops bots, ticketing):
// the whole IncidentMessage, signed with HMAC-SHA256 over `${timestamp}.${body}`, with an
// Idempotency-Key header so receivers can drop the duplicates at-least-once delivery implies.
import { z } from 'zod';
import { defineChannel } from '../channel.js';
import type { IncidentMessage } from '../message.js';
import { signatureHeader, signWebhookBody, timestampHeader } from '../signature.js';
import { postJson } from './http.js';

const configSchema = z.object({
  name: z.string().min(1),
  type: z.literal('webhook'),
  url: z.url({ protocol: /^https?$/ }),
  /** Shared secret for the signature; 16+ characters so it cannot be guessed. */
  secret: z.string().min(16, 'must be at least 16 characters'),
  headers: z.record(z.string(), z.string()).optional(),
});

export interface WebhookBody {
  version: 1;
  event: IncidentMessage['event'];
  idempotencyKey: string;
  message: IncidentMessage;
}

export function webhookBody(m: IncidentMessage): WebhookBody {
  return { version: 1, event: m.event, idempotencyKey: m.idempotencyKey, message: m };
}

export const webhookChannel = defineChannel({
  type: 'webhook',
  configSchema,
  create(config, deps) {
    return {
      name: config.name,
      type: 'webhook',
      send: (message, attempt) => {
        const body = JSON.stringify(webhookBody(message));
        const timestampSec = Math.floor(attempt.nowMs / 1000);
        return postJson(deps, config.url, body, {
          ...config.headers,
          [timestampHeader]: String(timestampSec),
          [signatureHeader]: signWebhookBody(config.secret, timestampSec, body),
          'idempotency-key': message.idempotencyKey,
          'x-vigil-event': message.event,
          'x-vigil-attempt': String(attempt.attempt),
        });
      },
    };
  },
});
