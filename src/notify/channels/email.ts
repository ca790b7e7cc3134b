// Email over SMTP with nodemailer: plain text plus HTML, one subject per event, and updates
// threaded under the opening message (In-Reply-To/References), which mail clients do honour.
import nodemailer from 'nodemailer';
import { z } from 'zod';
import { defineChannel, type DeliveryOutcome } from '../channel.js';
import type { IncidentMessage } from '../message.js';
import { htmlMarkup, messageColor, plainMarkup, renderMessage } from '../render.js';

const configSchema = z.object({
  name: z.string().min(1),
  type: z.literal('email'),
  smtp: z.object({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535),
    /** true: TLS from the first byte (465); false: STARTTLS when offered (587, 25). */
    secure: z.boolean(),
    user: z.string().optional(),
    pass: z.string().optional(),
    from: z.string().min(3),
    /** Refuse to send without STARTTLS (for `secure: false` on untrusted networks). */
    requireTLS: z.boolean().optional(),
  }),
  to: z.array(z.email()).min(1),
});

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
  messageId: string;
  /** The opening message's id, for threading; absent on the opening message itself. */
  inReplyTo?: string;
}

const domainOf = (from: string): string => /@([^>\s]+)/.exec(from)?.[1] ?? 'vigil.local';
const idPart = (s: string): string => s.replace(/[^A-Za-z0-9._-]/g, '_');

export function emailContent(m: IncidentMessage, from: string): EmailContent {
  const domain = domainOf(from);
  const threadId = `<incident-${idPart(m.incident.id)}@${domain}>`;
  const text = renderMessage(m, plainMarkup);
  const html = renderMessage(m, htmlMarkup);
  const textBody = [text.title, '', text.summary, '', ...text.fields.map((f) => `${f.title}:\n${f.value}\n`)].join('\n');
  const rows = html.fields
    .map(
      (f) =>
        `<tr><th align="left" valign="top" style="padding:4px 12px 4px 0">${htmlMarkup.escape(f.title)}</th><td style="padding:4px 0;white-space:pre-line">${f.value}</td></tr>`,
    )
    .join('');
  const htmlBody = [
    `<div style="font-family:sans-serif;border-left:6px solid ${messageColor(m)};padding-left:12px">`,
    `<h2 style="margin:0 0 8px">${htmlMarkup.escape(html.title)}</h2>`,
    `<p>${html.summary}</p>`,
    rows ? `<table>${rows}</table>` : '',
    '</div>',
  ].join('');
  const opening = m.event === 'opened';
  return {
    subject: `[Vigil] ${text.title}`,
    text: textBody,
    html: htmlBody,
    messageId: opening ? threadId : `<${idPart(m.idempotencyKey)}@${domain}>`,
    ...(opening ? {} : { inReplyTo: threadId }),
  };
}

/** SMTP 5xx replies are permanent (bad recipient, rejected); everything else may pass later. */
function smtpOutcome(err: unknown): DeliveryOutcome {
  const e = err as { responseCode?: unknown; code?: unknown; message?: unknown };
  const status = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const code = typeof e.code === 'string' ? e.code : 'ESMTP';
  const retryable = status === undefined || status < 500;
  return { ok: false, retryable, error: status === undefined ? code : `SMTP ${status} (${code})`, ...(status === undefined ? {} : { status }) };
}

export const emailChannel = defineChannel({
  type: 'email',
  configSchema,
  create(config, deps) {
    const { smtp } = config;
    const transport = nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      ...(smtp.requireTLS ? { requireTLS: true } : {}),
      ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.pass ?? '' } } : {}),
      connectionTimeout: deps.timeoutMs,
      greetingTimeout: deps.timeoutMs,
      socketTimeout: deps.timeoutMs,
    });
    return {
      name: config.name,
      type: 'email',
      async send(message) {
        const content = emailContent(message, smtp.from);
        try {
          await transport.sendMail({
            from: smtp.from,
            to: config.to,
            subject: content.subject,
            text: content.text,
            html: content.html,
            messageId: content.messageId,
            ...(content.inReplyTo ? { inReplyTo: content.inReplyTo, references: [content.inReplyTo] } : {}),
            headers: { 'X-Vigil-Idempotency-Key': message.idempotencyKey, 'X-Vigil-Event': message.event },
          });
          return { ok: true };
        } catch (err) {
          return smtpOutcome(err);
        }
      },
      close() {
        transport.close();
        return Promise.resolve();
      },
    };
  },
});
