// Opsgenie Alert API: one alert per incident (alias), which follows the incident's state:
// triggered → create (Opsgenie dedupes on the alias), acknowledged or mitigated → acknowledge,
// resolved → close. The GenieKey goes in a header and never into an outcome or a log.
import { z } from 'zod';
import type { IncidentStatus, Severity } from '../../model/index.js';
import { defineChannel } from '../channel.js';
import type { IncidentMessage } from '../message.js';
import { plainMarkup, renderMessage } from '../render.js';
import { postJson } from './http.js';

const responderSchema = z.object({
  type: z.enum(['team', 'user', 'escalation', 'schedule']),
  name: z.string().min(1).optional(),
  id: z.string().min(1).optional(),
  username: z.string().min(1).optional(),
});

const configSchema = z.object({
  name: z.string().min(1),
  type: z.literal('opsgenie'),
  /** An API integration's key (sent as `Authorization: GenieKey …`). */
  apiKey: z.string().min(8),
  /** EU accounts: https://api.eu.opsgenie.com */
  url: z.url({ protocol: /^https?$/ }).default('https://api.opsgenie.com'),
  /** Who gets the alert when the integration does not assign it itself. */
  responders: z.array(responderSchema).optional(),
  /** Added to every alert's tags. */
  tags: z.array(z.string().min(1).max(50)).optional(),
});

export type OpsgenieAction = 'create' | 'acknowledge' | 'close';

export const opsgenieAction: Record<IncidentStatus, OpsgenieAction> = {
  triggered: 'create',
  acknowledged: 'acknowledge',
  mitigated: 'acknowledge',
  resolved: 'close',
};

export const opsgeniePriority: Record<Severity, 'P1' | 'P2' | 'P3' | 'P4'> = { critical: 'P1', high: 'P2', medium: 'P3', low: 'P4' };

const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

export const opsgenieAlias = (m: IncidentMessage): string => clip(`vigil-${m.incident.id}`, 512);

export interface OpsgenieRequest {
  /** Relative to the API base URL, with the query. */
  path: string;
  body: Record<string, unknown>;
}

export function opsgenieRequest(m: IncidentMessage, extra: { responders?: unknown[]; tags?: readonly string[] } = {}): OpsgenieRequest {
  const alias = opsgenieAlias(m);
  const action = opsgenieAction[m.incident.status];
  if (action !== 'create') {
    const note = clip(m.update ?? m.headline, 25_000);
    return {
      path: `/v2/alerts/${encodeURIComponent(alias)}/${action}?identifierType=alias`,
      body: { source: 'Vigil', ...(m.actor ? { user: clip(m.actor, 100) } : {}), note },
    };
  }
  const inc = m.incident;
  const text = renderMessage(m, plainMarkup);
  const description = [text.summary, ...text.fields.map((f) => `${f.title}: ${f.value}`)].join('\n\n');
  const top = m.rootCauses[0];
  const details: Record<string, string> = {
    incident: inc.id,
    event: m.event,
    status: inc.status,
    severity: inc.severity,
    services: inc.services.join(', '),
    ...(top ? { suspectedRootCause: clip(`${top.kind} in ${top.service} (${Math.round(top.score * 100)}%)`, 8_000) } : {}),
    ...(m.links.incident ? { incidentUrl: m.links.incident } : {}),
    ...(m.links.runbook ? { runbook: m.links.runbook } : {}),
    ...(m.escalation ? { escalationLevel: String(m.escalation.level) } : {}),
    idempotencyKey: m.idempotencyKey,
  };
  const tags = [...new Set(['vigil', `severity:${inc.severity}`, ...inc.services, ...(extra.tags ?? [])].map((t) => clip(t, 50)))].slice(0, 20);
  return {
    path: '/v2/alerts',
    body: {
      message: clip(m.headline, 130),
      alias,
      description: clip(description, 15_000),
      priority: opsgeniePriority[inc.severity],
      source: 'Vigil',
      entity: clip(inc.services[0] ?? 'vigil', 512),
      tags,
      details,
      ...(extra.responders?.length ? { responders: extra.responders } : {}),
    },
  };
}

export const opsgenieChannel = defineChannel({
  type: 'opsgenie',
  configSchema,
  create(config, deps) {
    const base = config.url.replace(/\/+$/, '');
    const extra = { ...(config.responders ? { responders: config.responders } : {}), ...(config.tags ? { tags: config.tags } : {}) };
    return {
      name: config.name,
      type: 'opsgenie',
      send: (message) => {
        const request = opsgenieRequest(message, extra);
        return postJson(deps, `${base}${request.path}`, JSON.stringify(request.body), { authorization: `GenieKey ${config.apiKey}` });
      },
    };
  },
});
