// Microsoft Teams: an Adaptive Card (1.4) wrapped in the message envelope that Teams Workflows
// (Power Automate) webhooks accept; fields become a FactSet, links become actions.
import { z } from 'zod';
import { defineChannel } from '../channel.js';
import type { IncidentMessage } from '../message.js';
import { markdownMarkup, renderMessage } from '../render.js';
import { postJson } from './http.js';

const configSchema = z.object({
  name: z.string().min(1),
  type: z.literal('teams'),
  url: z.url({ protocol: /^https?$/ }),
});

const severityTextColor = { critical: 'Attention', high: 'Attention', medium: 'Warning', low: 'Accent' } as const;

export function teamsPayload(m: IncidentMessage): Record<string, unknown> {
  const r = renderMessage(m, markdownMarkup);
  const resolved = m.event === 'resolved' || m.event === 'all-clear';
  const body: Array<Record<string, unknown>> = [
    { type: 'TextBlock', text: r.title, weight: 'Bolder', size: 'Medium', wrap: true, color: resolved ? 'Good' : severityTextColor[m.incident.severity] },
    { type: 'TextBlock', text: r.summary, wrap: true },
  ];
  const facts = r.fields.filter((f) => f.short).map((f) => ({ title: f.title, value: f.value }));
  if (facts.length > 0) body.push({ type: 'FactSet', facts });
  for (const f of r.fields.filter((x) => !x.short && x.title !== 'Links')) {
    body.push({ type: 'TextBlock', text: f.title, weight: 'Bolder', wrap: true, spacing: 'Medium' });
    body.push({ type: 'TextBlock', text: f.value, wrap: true });
  }
  const actions = [
    m.links.incident ? { type: 'Action.OpenUrl', title: 'Open incident', url: m.links.incident } : undefined,
    !r.compact && m.links.logs ? { type: 'Action.OpenUrl', title: 'Logs', url: m.links.logs } : undefined,
    !r.compact && m.links.runbook ? { type: 'Action.OpenUrl', title: 'Runbook', url: m.links.runbook } : undefined,
  ].filter((a) => a !== undefined);
  return {
    type: 'message',
    summary: r.title,
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          msteams: { width: 'Full' },
          body,
          ...(actions.length > 0 ? { actions } : {}),
        },
      },
    ],
  };
}

export const teamsChannel = defineChannel({
  type: 'teams',
  configSchema,
  create(config, deps) {
    return {
      name: config.name,
      type: 'teams',
      send: (message) => postJson(deps, config.url, JSON.stringify(teamsPayload(message)), { 'idempotency-key': message.idempotencyKey }),
    };
  },
});
