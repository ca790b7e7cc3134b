// Slack incoming webhook: Block Kit message with a colour bar (attachment) carrying the context.
// Incoming webhooks cannot thread, so state changes go out as one compact line that links back.
import { z } from 'zod';
import { defineChannel } from '../channel.js';
import type { IncidentMessage } from '../message.js';
import { messageColor, renderMessage, type Markup } from '../render.js';
import { postJson } from './http.js';

const configSchema = z.object({
  name: z.string().min(1),
  type: z.literal('slack'),
  url: z.url({ protocol: /^https?$/ }),
  /** Overrides the webhook's default channel where the workspace allows it. */
  channel: z.string().optional(),
  username: z.string().optional(),
});

const mrkdwn: Markup = {
  escape: (t) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
  bold: (t) => `*${t}*`,
  link: (url, text) => `<${url}|${text.replace(/[<>|]/g, '')}>`,
  code: (t) => `\`${t.replace(/`/g, "'")}\``,
};

/** Slack rejects section texts over 3000 characters. */
const clipBlock = (t: string): string => (t.length <= 2900 ? t : `${t.slice(0, 2899)}…`);

export function slackPayload(m: IncidentMessage, extra: { channel?: string; username?: string } = {}): Record<string, unknown> {
  const r = renderMessage(m, mrkdwn);
  const head = { ...(extra.channel ? { channel: extra.channel } : {}), ...(extra.username ? { username: extra.username } : {}) };
  if (r.compact) {
    return { ...head, text: `${r.title}: ${r.summary}`, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: clipBlock(r.summary) } }] };
  }
  const shortFields = r.fields.filter((f) => f.short).map((f) => ({ type: 'mrkdwn', text: clipBlock(`*${f.title}*\n${f.value}`) }));
  const longBlocks = r.fields.filter((f) => !f.short).map((f) => ({ type: 'section', text: { type: 'mrkdwn', text: clipBlock(`*${f.title}*\n${f.value}`) } }));
  return {
    ...head,
    text: r.title,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: r.title.slice(0, 150) } },
      { type: 'section', text: { type: 'mrkdwn', text: clipBlock(r.summary) } },
    ],
    attachments: [{ color: messageColor(m), blocks: [{ type: 'section', fields: shortFields.slice(0, 10) }, ...longBlocks] }],
  };
}

export const slackChannel = defineChannel({
  type: 'slack',
  configSchema,
  create(config, deps) {
    return {
      name: config.name,
      type: 'slack',
      send: (message) => postJson(deps, config.url, JSON.stringify(slackPayload(message, config)), { 'idempotency-key': message.idempotencyKey }),
    };
  },
});
