// Post-incident reviews and action items: the generated review (JSON, Markdown or HTML), the
// team's edits to its sections, and action items tracked from open to done.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { editableSections, renderHtml, renderMarkdown, type Review } from '../../reviews/index.js';
import { access } from '../access.js';
import { audited } from '../audit-hook.js';
import { ApiError, availablePort } from '../errors.js';
import type { FollowUpPort } from '../follow-up-port.js';
import { optionalString, parseBody, parseTime } from '../params.js';
import type { ApiDeps } from '../ports.js';
import { documentAnswer, keyedErrors } from '../schemas/common.js';
import { actionItemListSchema, actionItemSchema, reviewSchema } from '../schemas/follow-up.js';

/** Text people type: trimmed, non-empty, without control characters other than newlines and tabs. */
const text = (max: number): z.ZodType<string> =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    // eslint-disable-next-line no-control-regex
    .refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s), 'must not contain control characters');

const dueSchema = z.union([z.string(), z.number()]).transform((v, ctx) => {
  try {
    // A date alone means "by the end of that day" (UTC), so an item due today is not overdue this morning.
    const dateOnly = typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v.trim());
    return parseTime(v, 'due') + (dateOnly ? 86_400_000 - 1 : 0);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
    return z.NEVER;
  }
});

const actionItemBody = z.object({ title: text(500), owner: text(200).optional(), due: dueSchema.optional() }).strict();
const changeBody = z
  .object({
    status: z.enum(['open', 'done']).optional(),
    title: text(500).optional(),
    owner: text(200).nullable().optional(),
    due: dueSchema.nullable().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'give at least one of status, title, owner, due');
const editBody = z
  .object({
    sections: z.record(z.string(), z.string().max(50_000)).refine((s) => Object.keys(s).length > 0, 'name at least one section'),
    author: text(200).optional(),
  })
  .strict();

/** The review's JSON: the contract's fields first (markdown, metrics, actionItems), then the rest. */
export function reviewJson(review: Review): Record<string, unknown> {
  return {
    markdown: renderMarkdown(review.document),
    metrics: review.metrics,
    actionItems: review.actionItems,
    incidentId: review.incidentId,
    ...(review.repeatOf ? { repeatOf: review.repeatOf } : {}),
    customerReportedFirst: review.customerReportedFirst,
    resurfacedActionItems: review.resurfacedActionItems,
    editableSections,
    editedSections: review.editedSections,
  };
}

export function sendDocument(reply: FastifyReply, format: string | undefined, markdown: () => string, html: () => string, json: () => unknown): unknown {
  if (format === undefined || format === 'json') return json();
  if (format === 'md' || format === 'markdown') return reply.type('text/markdown; charset=utf-8').send(markdown());
  if (format === 'html')
    return reply.type('text/html; charset=utf-8').header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'").send(html());
  throw new ApiError('VIGIL_BAD_REQUEST', 'format must be json, md or html');
}

export function followUpOf(deps: ApiDeps): FollowUpPort {
  return availablePort(deps.followUp, 'reviews and reports are not available in this server');
}

export function registerReviewRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get<{ Params: { id: string } }>(
    '/api/v1/incidents/:id/review',
    {
      ...access('read'),
      schema: {
        summary: 'The post-incident review (JSON, or format=md|html)',
        response: { 200: documentAnswer(reviewSchema, 'the review'), ...keyedErrors(400, 404) },
      },
    },
    async (req, reply) => {
      const format = optionalString((req.query as Record<string, unknown>).format, 'format', 20);
      const review = await followUpOf(deps).review(req.params.id);
      if (!review) throw new ApiError('VIGIL_NOT_FOUND', `no incident ${req.params.id}`);
      return sendDocument(
        reply,
        format,
        () => renderMarkdown(review.document),
        () => renderHtml(review.document),
        () => reviewJson(review),
      );
    },
  );

  app.patch<{ Params: { id: string } }>(
    '/api/v1/incidents/:id/review',
    {
      ...audited(access('write'), 'review.edit'),
      schema: { summary: 'Edit review sections; answers the review', response: { 200: reviewSchema, ...keyedErrors(400, 404) } },
    },
    async (req) => {
      const b = parseBody(editBody, req.body);
      const unknown = Object.keys(b.sections).filter((k) => !(editableSections as readonly string[]).includes(k));
      if (unknown.length) throw new ApiError('VIGIL_BAD_REQUEST', `sections ${unknown.join(', ')} cannot be edited; editable: ${editableSections.join(', ')}`);
      const port = followUpOf(deps);
      if (!(await port.review(req.params.id))) throw new ApiError('VIGIL_NOT_FOUND', `no incident ${req.params.id}`);
      const author = b.author ?? req.vigilKey?.name ?? 'api';
      req.auditNote = { details: { sections: Object.keys(b.sections), author } };
      return reviewJson(await port.editReview(req.params.id, b.sections, author));
    },
  );

  app.post<{ Params: { id: string } }>(
    '/api/v1/incidents/:id/action-items',
    {
      ...audited(access('write'), 'action-item.create'),
      schema: { summary: 'Add an action item to an incident', response: { 201: actionItemSchema, ...keyedErrors(400, 404) } },
    },
    async (req, reply) => {
      const b = parseBody(actionItemBody, req.body);
      const port = followUpOf(deps);
      if (!(await port.review(req.params.id))) throw new ApiError('VIGIL_NOT_FOUND', `no incident ${req.params.id}`);
      const item = await port.addActionItem(req.params.id, {
        title: b.title,
        ...(b.owner ? { owner: b.owner } : {}),
        ...(b.due !== undefined ? { dueMs: b.due } : {}),
      });
      req.auditNote = { details: { actionItem: item.id, owner: item.owner ?? null } };
      return reply.status(201).send(item);
    },
  );

  app.patch<{ Params: { id: string } }>(
    '/api/v1/action-items/:id',
    {
      ...audited(access('write'), 'action-item.update'),
      schema: {
        summary: 'Mark an action item open or done, reassign it (owner, null: nobody) or reschedule it (due, null: no date)',
        response: { 200: actionItemSchema, ...keyedErrors(400, 404) },
      },
    },
    async (req) => {
      const b = parseBody(changeBody, req.body);
      const item = await followUpOf(deps).updateActionItem(req.params.id, {
        ...(b.status ? { status: b.status } : {}),
        ...(b.title !== undefined ? { title: b.title } : {}),
        ...(b.owner !== undefined ? { owner: b.owner } : {}),
        ...(b.due !== undefined ? { dueMs: b.due } : {}),
      });
      if (!item) throw new ApiError('VIGIL_NOT_FOUND', `no action item ${req.params.id}`);
      req.auditNote = { details: { ...b, incident: item.incidentId } };
      return item;
    },
  );

  app.get(
    '/api/v1/action-items',
    { ...access('read'), schema: { summary: 'Action items, by status and incident', response: { 200: actionItemListSchema, ...keyedErrors(400, 404) } } },
    async (req) => {
      const q = req.query as Record<string, unknown>;
      const status = optionalString(q.status, 'status', 10);
      if (status !== undefined && status !== 'open' && status !== 'done') throw new ApiError('VIGIL_BAD_REQUEST', 'status must be open or done');
      const incidentId = optionalString(q.incident, 'incident', 200);
      const items = await followUpOf(deps).listActionItems({ ...(status ? { status } : {}), ...(incidentId ? { incidentId } : {}) });
      return { actionItems: items };
    },
  );
}
