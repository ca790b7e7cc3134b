// What the three signal decoders share per item, whatever the encoding: the request-wide context,
// the cap on items per request, and the rule that an item over a value limit is rejected alone
// (ItemLimitError) while a malformed body fails the whole request.
import type { Attributes, ResourceIdentity } from '../model/index.js';
import type { RejectionLog } from './attributes.js';
import { ItemLimitError } from './errors.js';
import type { IngestLimits } from './limits.js';
import type { ConventionOptions } from './semconv.js';

/** The state of one request's decode: the items accepted so far and how many were seen. */
export interface SignalContext<T> {
  limits: IngestLimits;
  conventions: ConventionOptions;
  rejections: RejectionLog;
  items: T[];
  seen: number;
}

/** The resource and instrumentation scope an item was sent under. */
export interface ItemScope {
  identity: ResourceIdentity;
  resourceAttributes: Attributes;
  scopeName: string;
}

/** A record that carries the resource and scope it was sent under (spans, log records). */
export type ScopedRecord = ResourceIdentity & { resourceAttributes: Attributes; scopeName: string };

/** Gives a record the resource it was sent under. */
export function setResource(record: ScopedRecord, identity: ResourceIdentity, resourceAttributes: Attributes): void {
  record.service = identity.service;
  record.serviceVersion = identity.serviceVersion;
  record.environment = identity.environment;
  record.resourceAttributes = resourceAttributes;
}

/** An empty record given the resource and scope it was sent under. */
export function placeUnder<T extends ScopedRecord>(record: T, scope: ItemScope): T {
  setResource(record, scope.identity, scope.resourceAttributes);
  record.scopeName = scope.scopeName;
  return record;
}

/** What a kind of item (span, log record, data point) is whatever the encoding. */
export interface ItemRules<T, Head> {
  /** The item's name in rejection reasons: 'span', 'log record'. */
  singular: string;
  plural: string;
  /** The item with every field at its empty value but those of the resource and scope it came under. */
  empty(head: Head): T;
  /** Validates the item and lifts its conventions; false (and logged) if it is rejected. */
  finish(item: T, ctx: SignalContext<T>): boolean;
}

/** A kind of item read from one encoding: from `Source` (a wire reader, a JSON object), `At` where in
 * it (the message end, the JSON path). */
export interface ItemKind<T, Head, Source, At> extends ItemRules<T, Head> {
  /** Fills the item; throws ItemLimitError to reject it alone, OtlpDecodeError to fail the request. */
  read(source: Source, at: At, item: T, limits: IngestLimits): void;
}

/** Reads one item into ctx.items unless the request is over its item cap or the item is rejected. */
export function takeItem<T, Head, Source, At>(kind: ItemKind<T, Head, Source, At>, ctx: SignalContext<T>, source: Source, at: At, head: Head): void {
  if (++ctx.seen > ctx.limits.maxItemsPerRequest) {
    ctx.rejections.reject(`request has more than ingest.maxItemsPerRequest=${ctx.limits.maxItemsPerRequest} ${kind.plural}`);
    return;
  }
  const item = kind.empty(head);
  try {
    kind.read(source, at, item, ctx.limits);
  } catch (err) {
    if (!(err instanceof ItemLimitError)) throw err;
    ctx.rejections.reject(`${kind.singular} rejected: ${err.message}`);
    return;
  }
  if (kind.finish(item, ctx)) ctx.items.push(item);
}
