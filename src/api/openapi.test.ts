// The OpenAPI document: generated from the routes, a valid OpenAPI 3.1 document, listing every
// route the app declares, and the same as docs/openapi.yaml (so the published file cannot drift).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPIV3_1 } from 'openapi-types';
import { parse } from 'yaml';
import { repoRoot } from '../../test/support/paths.js';
import { declaredRoutes } from './access.js';
import { buildApi } from './app.js';
import { generateOpenApi, openApiYaml } from './openapi-document.js';
import { openApiDocument } from './openapi.js';
import type { ApiDeps } from './ports.js';

test('the generated document is valid OpenAPI', async () => {
  const doc = await generateOpenApi();
  await SwaggerParser.validate(structuredClone(doc) as unknown as OpenAPIV3_1.Document);
});

test('every route the app declares is in the document with its methods', async () => {
  const app = buildApi(new Proxy({}, { get: () => undefined }) as ApiDeps, { bodyLimitBytes: 1 });
  await app.ready();
  const paths = (openApiDocument(app) as unknown as OpenAPIV3_1.Document).paths ?? {};
  const missing = declaredRoutes(app)
    .filter((r) => r.method !== 'HEAD' && r.url !== '/api/v1/openapi.json')
    .filter((r) => !paths[r.url.replace(/:([A-Za-z]+)/g, '{$1}')]?.[r.method.toLowerCase() as OpenAPIV3_1.HttpMethods])
    .map((r) => `${r.method} ${r.url}`);
  await app.close();
  assert.deepEqual(missing, []);
});

test("a route's zod schemas become its body and answer in the document", async () => {
  const doc = (await generateOpenApi()) as unknown as OpenAPIV3_1.Document;
  const post = doc.paths?.['/api/v1/keys']?.post;
  const body = (post?.requestBody as OpenAPIV3_1.RequestBodyObject | undefined)?.content['application/json']?.schema;
  assert.deepEqual(body && 'required' in body ? body.required : undefined, ['name', 'scopes']);
  const answer = (post?.responses?.['201'] as OpenAPIV3_1.ResponseObject | undefined)?.content?.['application/json']?.schema;
  assert.ok(answer && 'properties' in answer && answer.properties?.key, 'the 201 answer is described');
});

test('every operation documents its success answer and the error body', async () => {
  const doc = (await generateOpenApi()) as unknown as OpenAPIV3_1.Document;
  const undocumented: string[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item ?? {}) as Array<[string, OpenAPIV3_1.OperationObject]>) {
      const answers = Object.entries(op.responses ?? {}) as Array<[string, OpenAPIV3_1.ResponseObject]>;
      const success = answers.filter(([status]) => status < '400');
      const described = success.length > 0 && success.every(([status, r]) => status === '204' || r.content !== undefined);
      const errorBody = answers.some(
        ([status, r]) =>
          status >= '400' && (r.content?.['application/json']?.schema as { $ref?: string } | undefined)?.$ref === '#/components/schemas/ApiError',
      );
      if (!described || !errorBody) undocumented.push(`${method.toUpperCase()} ${path}`);
    }
  }
  assert.deepEqual(undocumented, []);
});

test('docs/openapi.yaml is the generated document (run `npm run openapi` after changing a route)', async () => {
  const published = readFileSync(join(repoRoot(), 'docs/openapi.yaml'), 'utf8');
  assert.deepEqual(parse(published), parse(openApiYaml(await generateOpenApi())));
});
