// The pieces every answer schema shares: ISO times, attribute maps, and the one error body the
// API's error handler (app.ts) writes for every refusal and failure, per HTTP status.
import { z } from 'zod';
import { apiErrorCodes } from '../errors.js';
import { isoTime } from '../openapi.js';

export { isoTime };

/** OpenTelemetry attributes as stored: string values (arrays and maps as JSON). An open set of keys. */
export const attributesSchema = z.record(z.string(), z.string());

/** The body of every error answer: `{error: {code, message, details?}}` (docs/errors.md lists the codes). */
export const apiErrorSchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(apiErrorCodes) as [keyof typeof apiErrorCodes, ...Array<keyof typeof apiErrorCodes>]),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: 'ApiError' });

const whenAnswered = {
  400: 'invalid parameters or body (VIGIL_BAD_REQUEST)',
  401: 'missing or unknown API key',
  403: "the key lacks the route's scope, or a UI-session write without the UI's headers",
  404: 'not found (or the feature is not running in this server)',
  409: 'conflicts with the current state (a name taken, an illegal transition)',
  500: 'internal error; see the server log',
  503: 'the store is unavailable',
} as const;
type ErrorStatus = keyof typeof whenAnswered;

/** An answer by content type (the provider's form for a described answer or several media types). */
export interface ContentAnswer {
  description: string;
  content: Record<string, { schema: z.ZodType }>;
}

/**
 * Error answers of a route by status, each the error body. `keyed` routes (every route but the
 * public ones) also answer 401 and 403; every route may answer 500.
 */
export function errorAnswers(keyed: boolean, ...statuses: ErrorStatus[]): Record<number, ContentAnswer> {
  const all = [...new Set<ErrorStatus>([...statuses, ...(keyed ? ([401, 403] as const) : []), 500])].sort((a, b) => a - b);
  return Object.fromEntries(all.map((s) => [s, { description: whenAnswered[s], content: { 'application/json': { schema: apiErrorSchema } } }]));
}

/** Errors of a route that needs a key: the listed statuses plus 401, 403 and 500. */
export const keyedErrors = (...statuses: ErrorStatus[]): Record<number, ContentAnswer> => errorAnswers(true, ...statuses);

/** A JSON answer with its own description (a schema named with an id keeps its name this way). */
export const jsonAnswer = (schema: z.ZodType, description: string): ContentAnswer => ({
  description,
  content: { 'application/json': { schema } },
});

/** An answer that is JSON by default and a rendered document with `format=md` or `format=html`. */
export function documentAnswer(json: z.ZodType, description: string): ContentAnswer {
  const text = z.string();
  return {
    description,
    content: {
      'application/json': { schema: json },
      'text/markdown': { schema: text.describe('format=md') },
      'text/html': { schema: text.describe('format=html') },
    },
  };
}

/** A 204 answer: no body. */
export const noContent = z.null().describe('done; no body');

/**
 * Compile-time check that an answer schema documents exactly the fields of a domain type a route
 * passes through unchanged: a field added to the type (or a type changed) fails the build at the
 * schema, so the document cannot silently fall behind. Use as `export type X = Documents<typeof schema, T>`;
 * the error names the fields that differ.
 */
export type Documents<S extends z.ZodType, T extends Documented<S, T>> = T;
type Documented<S extends z.ZodType, T> = [Exclude<keyof T, keyof z.output<S>> | Exclude<keyof z.output<S>, keyof T>] extends [never]
  ? z.output<S>
  : { fieldsNotDocumented: Exclude<keyof T, keyof z.output<S>>; fieldsNotSent: Exclude<keyof z.output<S>, keyof T> };
