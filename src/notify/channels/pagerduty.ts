// PagerDuty Events API v2: one alert per incident (dedup_key), which follows the incident's state:
// triggered → trigger, acknowledged or mitigated → acknowledge, resolved → resolve. PagerDuty
// then pages by its own schedules; the routing key travels in the body and is never logged.
import { z } from 'zod';
import type { IncidentStatus, Severity } from '../../model/index.js';
import { defineChannel } from '../channel.js';
import type { IncidentMessage } from '../message.js';
import { postJson } from './http.js';

const configSchema = z.object({
  name: z.string().min(1),
  type: z.literal('pagerduty'),
  /** The integration key of an "Events API v2" integration on a PagerDuty service. */
  routingKey: z.string().regex(/^[A-Za-z0-9]{32}$/, 'must be the 32-character integration key of an Events API v2 integration'),
  /** EU accounts: https://events.eu.pagerduty.com/v2/enqueue */
  url: z.url({ protocol: /^https?$/ }).default('https://events.pagerduty.com/v2/enqueue'),
});

export type PagerDutyAction = 'trigger' | 'acknowledge' | 'resolve';

export const pagerDutyAction: Record<IncidentStatus, PagerDutyAction> = {
  triggered: 'trigger',
  acknowledged: 'acknowledge',
  mitigated: 'acknowledge',
  resolved: 'resolve',
};

export const pagerDutySeverity: Record<Severity, 'critical' | 'error' | 'warning' | 'info'> = {
  critical: 'critical',
  high: 'error',
  medium: 'warning',
  low: 'info',
};

const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** One alert per incident: every later event for it updates that alert. */
export const pagerDutyDedupKey = (m: IncidentMessage): string => clip(`vigil:${m.incident.id}`, 255);

export function pagerDutyEvent(m: IncidentMessage, routingKey: string): Record<string, unknown> {
  const action = pagerDutyAction[m.incident.status];
  const base = { routing_key: routingKey, event_action: action, dedup_key: pagerDutyDedupKey(m) };
  // PagerDuty reads only the key for acknowledge and resolve; the alert keeps its trigger's details.
  if (action !== 'trigger') return base;
  const inc = m.incident;
  const top = m.rootCauses[0];
  const links = [
    ...(m.links.incident ? [{ href: m.links.incident, text: 'Open the incident in Vigil' }] : []),
    ...(m.links.logs ? [{ href: m.links.logs, text: 'Logs around the onset' }] : []),
    ...(m.links.runbook ? [{ href: m.links.runbook, text: 'Runbook' }] : []),
    ...m.links.traces.map((t) => ({ href: t.url, text: `${t.label} trace ${t.traceId.slice(0, 8)}` })),
  ];
  return {
    ...base,
    client: 'Vigil',
    ...(m.links.incident ? { client_url: m.links.incident } : {}),
    payload: {
      summary: clip(m.headline, 1024),
      source: inc.services[0] ?? 'vigil',
      severity: pagerDutySeverity[inc.severity],
      timestamp: new Date(m.atMs).toISOString(),
      ...(top ? { component: top.service } : {}),
      group: inc.services.join(', '),
      class: top?.kind ?? 'incident',
      custom_details: {
        incident: inc.id,
        event: m.event,
        status: inc.status,
        severity: inc.severity,
        reason: inc.severityReason,
        services: inc.services,
        ...(m.update ? { update: m.update } : {}),
        ...(top ? { suspected_root_cause: `${top.kind} in ${top.service} (${Math.round(top.score * 100)}%): ${top.explanation}` } : {}),
        ...(m.context.affectedUsers ? { affected_users: m.context.affectedUsers.count } : {}),
        ...(m.context.errorGroups.length ? { error_groups: m.context.errorGroups.slice(0, 3).map((g) => `${g.count}× ${g.message}`) } : {}),
        ...(m.context.changes[0]
          ? { change: `${m.context.changes[0].kind} of ${m.context.changes[0].service} ${m.context.changes[0].version ?? ''}`.trim() }
          : {}),
        ...(m.escalation ? { escalation_level: m.escalation.level } : {}),
        idempotency_key: m.idempotencyKey,
      },
    },
    ...(links.length ? { links } : {}),
  };
}

export const pagerDutyChannel = defineChannel({
  type: 'pagerduty',
  configSchema,
  create(config, deps) {
    return {
      name: config.name,
      type: 'pagerduty',
      send: (message) => postJson(deps, config.url, JSON.stringify(pagerDutyEvent(message, config.routingKey)), {}),
    };
  },
});
