// Channel-neutral rendering: turns an IncidentMessage into titled fields and sections through a
// small markup dialect (Slack mrkdwn, Markdown, HTML, plain text), so every channel says the
// same things in the same order and only the syntax differs.
import type { Severity } from '../model/index.js';
import type { IncidentMessage } from './message.js';

export interface Markup {
  escape(text: string): string;
  bold(text: string): string;
  link(url: string, text: string): string;
  code(text: string): string;
}

export interface RenderedField {
  title: string;
  value: string; // already in the markup dialect
  short: boolean;
}

export interface RenderedMessage {
  /** Plain text (no markup): subjects, notification previews, fallbacks. */
  title: string;
  /** Markup: one line under the title (the update or the severity reason). */
  summary: string;
  fields: RenderedField[];
  /** Markup: compact updates are a single line; full messages carry the fields. */
  compact: boolean;
}

export const severityColor: Record<Severity, string> = {
  critical: '#B00020',
  high: '#E8590C',
  medium: '#F2C200',
  low: '#3B82F6',
};
export const resolvedColor = '#2E7D32';

/** Opening and escalation carry the whole context; the other state changes are short updates. */
export const isFullMessage = (m: IncidentMessage): boolean => m.event === 'opened' || m.event === 'escalated';

export function messageColor(m: IncidentMessage): string {
  return m.event === 'resolved' || m.event === 'all-clear' ? resolvedColor : severityColor[m.incident.severity];
}

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

export function renderMessage(m: IncidentMessage, mk: Markup): RenderedMessage {
  const inc = m.incident;
  const incidentRef = m.links.incident ? mk.link(m.links.incident, `incident ${inc.id}`) : mk.code(inc.id);
  const escalation = m.escalation ? `Not acknowledged after ${m.escalation.afterMinutes} min: escalation level ${m.escalation.level}. ` : '';
  const summary = isFullMessage(m)
    ? `${mk.escape(escalation)}${mk.escape(inc.severityReason)}`
    : `${mk.escape(m.update ?? `${inc.title}: ${m.event}${m.actor ? ` by ${m.actor}` : ''}`)} (${incidentRef})`;
  const compact = !isFullMessage(m);
  return { title: m.headline, summary, fields: compact ? [] : fullFields(m, mk), compact };
}

function fullFields(m: IncidentMessage, mk: Markup): RenderedField[] {
  const inc = m.incident;
  const ctx = m.context;
  const fields: RenderedField[] = [
    { title: 'Severity', value: mk.escape(inc.severity), short: true },
    { title: 'Services', value: mk.escape(inc.services.join(', ')), short: true },
    { title: 'Started', value: mk.escape(iso(inc.startedAtMs)), short: true },
    { title: 'Status', value: mk.escape(inc.status), short: true },
  ];
  if (ctx.affectedUsers) {
    const pct = ctx.affectedUsers.percent === undefined ? '' : ` (${ctx.affectedUsers.percent.toFixed(1)}%)`;
    fields.push({ title: 'Affected users', value: mk.escape(`${ctx.affectedUsers.count}${pct}`), short: true });
  }
  const top = m.rootCauses[0];
  if (top) {
    const score = `${Math.round(top.score * 100)}%`;
    fields.push({
      title: 'Top suspected root cause',
      value: `${mk.bold(mk.escape(`${top.kind} in ${top.service}`))} (${score}): ${mk.escape(top.explanation)}`,
      short: false,
    });
  }
  const change = ctx.changes[0];
  if (change) {
    const version = change.version ? ` ${change.version}` : '';
    fields.push({
      title: 'Change that lines up',
      value: mk.escape(`${change.kind} of ${change.service}${version} at ${iso(change.atMs)}: ${change.description}`),
      short: false,
    });
  }
  if (ctx.endpoints.length > 0) {
    const lines = ctx.endpoints.map((e) => `${mk.code(`${e.service} ${e.route}`)} ${mk.escape(e.summary)}`);
    fields.push({ title: 'Affected endpoints', value: lines.join('\n'), short: false });
  }
  if (ctx.errorGroups.length > 0) {
    const lines = ctx.errorGroups.map((g) => `${g.count}× ${mk.code(g.message)}${g.service ? mk.escape(` (${g.service})`) : ''}`);
    fields.push({ title: 'Error groups', value: lines.join('\n'), short: false });
  }
  const traces =
    m.links.traces.length > 0
      ? m.links.traces.map((t) => mk.link(t.url, `${t.label} ${t.traceId.slice(0, 8)}`))
      : ctx.exampleTraces.map((t) => `${mk.escape(t.label)} ${mk.code(t.traceId)}`);
  if (traces.length > 0) fields.push({ title: 'Example traces', value: traces.join(' · '), short: false });
  if (ctx.similarIncidents.length > 0) {
    const lines = ctx.similarIncidents.map((s) => mk.escape(`${s.id} ${s.title}${s.fix ? `: fixed by ${s.fix}` : ''}`));
    fields.push({ title: 'Similar incidents', value: lines.join('\n'), short: false });
  }
  if (ctx.openActionItems?.length) {
    const lines = ctx.openActionItems.map((a) =>
      mk.escape(`${a.title}${a.owner ? ` (${a.owner})` : ''}${a.overdue ? ', overdue' : ''} — from incident ${a.incidentId} ${a.incidentTitle}`),
    );
    fields.push({ title: 'Still open from similar incidents', value: lines.join('\n'), short: false });
  }
  const links = [
    m.links.incident ? mk.link(m.links.incident, 'Open incident') : '',
    m.links.logs ? mk.link(m.links.logs, 'Logs') : '',
    m.links.runbook ? mk.link(m.links.runbook, 'Runbook') : '',
  ].filter((l) => l !== '');
  if (links.length > 0) fields.push({ title: 'Links', value: links.join(' · '), short: false });
  return fields;
}

export const plainMarkup: Markup = {
  escape: (t) => t,
  bold: (t) => t,
  link: (url, text) => `${text} <${url}>`,
  code: (t) => t,
};

export const markdownMarkup: Markup = {
  escape: (t) => t.replace(/([\\`*_[\]<>|])/g, '\\$1'),
  bold: (t) => `**${t}**`,
  link: (url, text) => `[${text}](${url})`,
  code: (t) => `\`${t.replace(/`/g, "'")}\``,
};

const htmlEscape = (t: string): string => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export const htmlMarkup: Markup = {
  escape: htmlEscape,
  bold: (t) => `<strong>${t}</strong>`,
  link: (url, text) => `<a href="${htmlEscape(url)}">${htmlEscape(text)}</a>`,
  code: (t) => `<code>${htmlEscape(t)}</code>`,
};
