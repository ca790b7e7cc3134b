// The resource and scope levels of an OTLP protobuf export request, walked once for any signal:
// ExportXServiceRequest { repeated ResourceX = 1 }, ResourceX { Resource = 1; repeated ScopeX = 2 },
// ScopeX { InstrumentationScope = 1; repeated item = 2 } hold for traces, logs and metrics alike.
import type { Attributes } from '../model/index.js';
import { trimScopeName } from './attributes.js';
import { resourceIdentity } from './semconv.js';
import { setResource, takeItem, type ItemKind, type ItemScope, type ScopedRecord, type SignalContext } from './signal-items.js';
import { tagOf, WIRE_LEN, WireReader } from './wire.js';
import { readResource, readScopeName } from './wire-values.js';

/** A kind of item read from the wire: up to the end offset of its message. */
export type WireItemKind<T> = ItemKind<T, ItemScope, WireReader, number>;

const FIRST = tagOf(1, WIRE_LEN);
const SECOND = tagOf(2, WIRE_LEN);

/** Decodes a protobuf export request's items of `kind` into ctx.items. */
export function decodeWireRequest<T extends ScopedRecord>(buf: Buffer, kind: WireItemKind<T>, ctx: SignalContext<T>): void {
  const r = new WireReader(buf);
  while (r.pos < r.end) {
    const tag = r.uint32();
    if (tag === FIRST) readResourceItems(r, r.lengthEnd(), kind, ctx);
    else r.skip(tag & 7);
  }
}

function readResourceItems<T extends ScopedRecord>(r: WireReader, end: number, kind: WireItemKind<T>, ctx: SignalContext<T>): void {
  // SDKs write the resource before its scopes; should it come later, the items already decoded
  // are given their resource afterwards (identity does not affect validation).
  let resourceAttrs: Attributes = {};
  let identity = resourceIdentity(resourceAttrs);
  const first = ctx.items.length;
  let late = false;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === FIRST) {
      resourceAttrs = readResource(r, r.lengthEnd(), ctx.limits, (reason) => ctx.rejections.warn(reason));
      identity = resourceIdentity(resourceAttrs);
      late = ctx.items.length > first;
    } else if (tag === SECOND) readScopeItems(r, r.lengthEnd(), kind, ctx, { identity, resourceAttributes: resourceAttrs, scopeName: '' });
    else r.skip(tag & 7);
  }
  if (late) for (let i = first; i < ctx.items.length; i++) setResource(ctx.items[i]!, identity, resourceAttrs);
}

function readScopeItems<T extends ScopedRecord>(r: WireReader, end: number, kind: WireItemKind<T>, ctx: SignalContext<T>, scope: ItemScope): void {
  const first = ctx.items.length;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === FIRST) {
      scope.scopeName = trimScopeName(readScopeName(r, r.lengthEnd()), ctx.limits, (reason) => ctx.rejections.warn(reason));
      for (let i = first; i < ctx.items.length; i++) ctx.items[i]!.scopeName = scope.scopeName;
    } else if (tag === SECOND) {
      const itemEnd = r.lengthEnd();
      takeItem(kind, ctx, r, itemEnd, scope);
      // A rejected item may have stopped anywhere inside its message.
      r.pos = itemEnd;
    } else r.skip(tag & 7);
  }
}
