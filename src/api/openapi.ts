// The API's OpenAPI document, generated from the routes' own zod schemas: every route registered
// on the app is in it (fastify-type-provider-zod turns a route's `schema` into JSON Schema for
// @fastify/swagger), so docs/openapi.yaml is written from the code and a test fails when they drift.
// Bodies declared in a route's schema are validated here exactly as parseBody does in a handler.
import { fastifySwagger } from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { access } from './access.js';
import type { ApiError } from './errors.js';
import { parseBody } from './params.js';

const description = `Explore telemetry, record changes, and work incidents. Every request except health carries
\`Authorization: Bearer <key>\`. Times in responses are ISO-8601 UTC; parameters and bodies accept
ISO-8601 or epoch milliseconds. Errors: \`{error: {code, message}}\` (see docs/errors.md).`;

/** A time in an answer: ISO-8601 UTC, as views.ts `iso` writes it. */
export const isoTime = z.string().describe('ISO-8601 UTC time');

const isZod = (schema: unknown): schema is z.ZodType => typeof (schema as { safeParse?: unknown } | null)?.safeParse === 'function';

/**
 * Call before any route is registered. Route schemas are zod: bodies are parsed (and transformed)
 * before the handler with parseBody's errors; query strings and path parameters stay documentation
 * until their handlers' own checks move into the schema. Responses are sent as they are
 * (JSON.stringify), so a response schema describes the answer and never changes it.
 */
export function registerOpenApi(app: FastifyInstance): void {
  app.setValidatorCompiler(({ schema, httpPart }) => (data: unknown) => {
    if (httpPart !== 'body' || !isZod(schema)) return { value: data };
    try {
      return { value: parseBody<z.ZodType>(schema, data) };
    } catch (err) {
      return { error: err as ApiError };
    }
  });
  app.setSerializerCompiler(() => (data: unknown) => JSON.stringify(data));
  // Applied now rather than through app.register (which runs at ready()): its onRoute hook must
  // see the routes registered right after this call, on the root as in child plugins.
  fastifySwagger(
    app,
    {
      openapi: {
        openapi: '3.1.0',
        info: { title: 'Vigil API', version: '1.0.0', description },
        servers: [{ url: 'http://127.0.0.1:8080' }],
        components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
        security: [{ bearer: [] }],
      },
      transform: jsonSchemaTransform,
      transformObject: sharedComponents,
    },
    (err) => {
      if (err) throw err;
    },
  );
  app.get('/api/v1/openapi.json', { ...access('read'), schema: { hide: true } }, () => openApiDocument(app));
}

/**
 * Answer schemas named with `.meta({ id })` (schemas/) become components the routes refer to. The
 * provider also writes an input twin (`<id>Input`) of each; only those a body refers to are kept.
 */
function sharedComponents(input: Parameters<typeof jsonSchemaTransformObject>[0]): ReturnType<typeof jsonSchemaTransformObject> {
  const doc = jsonSchemaTransformObject(input) as { components?: { schemas?: Record<string, unknown> } };
  const schemas = doc.components?.schemas;
  if (schemas) {
    const text = JSON.stringify({ ...doc, components: { ...doc.components, schemas: {} } });
    for (const id of Object.keys(schemas)) if (id.endsWith('Input') && !text.includes(`"#/components/schemas/${id}"`)) delete schemas[id];
  }
  return doc as ReturnType<typeof jsonSchemaTransformObject>;
}

/** The document of every route registered so far (after `ready()`). */
export function openApiDocument(app: FastifyInstance): Record<string, unknown> {
  return app.swagger() as unknown as Record<string, unknown>;
}
