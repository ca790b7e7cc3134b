// The resource and scope levels of an OTLP/JSON export request (or the protobuf request decoded
// into the JSON mapping's shape), walked the same way for traces, logs and metrics.
import { resourceIdentity } from './semconv.js';
import { arrayField, objectsOf, resourceAttributes, scopeName, type JsonObject } from './json-values.js';
import type { ItemKind, ItemScope, SignalContext } from './signal-items.js';

/** A kind of item read from JSON: from its object, at its path in the request (for error messages). */
export type JsonItemKind<T> = ItemKind<T, ItemScope, JsonObject, string>;

/** A signal's field names at each level, camelCase as OTLP/JSON sends them and snake_case as tolerated. */
export interface JsonLayout {
  resources: [camel: string, snake: string];
  scopes: [camel: string, snake: string];
  items: [camel: string, snake: string | undefined];
}

/** Calls `visit` for each item object of the request, with its path and the scope it was sent under. */
export function walkJsonRequest(
  request: JsonObject,
  layout: JsonLayout,
  ctx: Pick<SignalContext<unknown>, 'limits' | 'rejections'>,
  visit: (item: JsonObject, where: string, scope: ItemScope) => void,
): void {
  const [resourcesCamel, resourcesSnake] = layout.resources;
  const [scopesCamel, scopesSnake] = layout.scopes;
  const [itemsCamel, itemsSnake] = layout.items;
  const warn = (reason: string): void => ctx.rejections.warn(reason);
  objectsOf(arrayField(request, resourcesCamel, resourcesSnake, 'request'), resourcesCamel).forEach((resource, i) => {
    const where = `${resourcesCamel}[${i}]`;
    const resourceAttrs = resourceAttributes(resource, where, ctx.limits, warn);
    const identity = resourceIdentity(resourceAttrs);
    objectsOf(arrayField(resource, scopesCamel, scopesSnake, where), `${where}.${scopesCamel}`).forEach((scope, j) => {
      const at = `${where}.${scopesCamel}[${j}]`;
      const head: ItemScope = { identity, resourceAttributes: resourceAttrs, scopeName: scopeName(scope, at, ctx.limits, warn) };
      objectsOf(arrayField(scope, itemsCamel, itemsSnake, at), `${at}.${itemsCamel}`).forEach((item, k) => visit(item, `${at}.${itemsCamel}[${k}]`, head));
    });
  });
}
