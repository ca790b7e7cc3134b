// Mattermost incoming webhook: Markdown text plus a Slack-style attachment with fields
// (Mattermost renders attachments but not Block Kit). Updates are one compact line.
import { z } from 'zod';
import { defineChannel } from '../channel.js';
import type { IncidentMessage } from '../message.js';
import { markdownMarkup, messageColor, renderMessage } from '../render.js';
import { postJson } from './http.js';

const configSchema = z.object({
  name: z.string().min(1),
  type: z.literal('mattermost'),
  url: z.url({ protocol: /^https?$/ }),
  channel: z.string().optional(),
  username: z.string().optional(),
});

export function mattermostPayload(m: IncidentMessage, extra: { channel?: string; username?: string } = {}): Record<string, unknown> {
  const r = renderMessage(m, markdownMarkup);
  const head = { ...(extra.channel ? { channel: extra.channel } : {}), ...(extra.username ? { username: extra.username } : {}) };
  if (r.compact) return { ...head, text: `**${markdownMarkup.escape(r.title)}**\n${r.summary}` };
  return {
    ...head,
    text: `#### ${markdownMarkup.escape(r.title)}`,
    attachments: [
      {
        fallback: r.title,
        color: messageColor(m),
        title: r.title,
        ...(m.links.incident ? { title_link: m.links.incident } : {}),
        text: r.summary,
        fields: r.fields.map((f) => ({ title: f.title, value: f.value, short: f.short })),
      },
    ],
  };
}

export const mattermostChannel = defineChannel({
  type: 'mattermost',
  configSchema,
  create(config, deps) {
    return {
      name: config.name,
      type: 'mattermost',
      send: (message) => postJson(deps, config.url, JSON.stringify(mattermostPayload(message, config)), { 'idempotency-key': message.idempotencyKey }),
    };
  },
});
