// One export request of any signal, decoded: the body parsed by its encoding, walked into items by
// the signal's decoder, then bounded as a whole (times far ahead of the rest, copied resources).
import { RejectionLog } from './attributes.js';
import { parseJsonRequest, type JsonObject } from './json-values.js';
import { defaultIngestLimits, type IngestLimits } from './limits.js';
import { boundAmplification, rejectFarAhead, type CopiedRow } from './request-bounds.js';
import { defaultConventions, type ConventionOptions } from './semconv.js';
import type { SignalContext } from './signal-items.js';
import type { OtlpEncoding, Rejections } from './types.js';
import { asBuffer, bodyBytes } from './wire.js';

/** How one signal's items are read from each encoding, named and timed. */
export interface SignalDecoder<T> {
  /** The items' name in rejection reasons: 'spans', 'log records', 'data points'. */
  plural: string;
  /** The time an item is judged by when the request's times are compared. */
  timeOf(item: T): number;
  protobuf(buf: Buffer, ctx: SignalContext<T>): void;
  json(request: JsonObject, ctx: SignalContext<T>): void;
}

/** Decodes an export request; throws OtlpDecodeError when the body is malformed. */
export function decodeSignal<T extends CopiedRow>(
  decoder: SignalDecoder<T>,
  body: unknown,
  encoding: OtlpEncoding,
  limits: IngestLimits = defaultIngestLimits,
  conventions: ConventionOptions = defaultConventions,
): { items: T[]; rejected: Rejections } {
  const rejections = new RejectionLog();
  const ctx: SignalContext<T> = { limits, conventions, rejections, items: [], seen: 0 };
  if (encoding === 'protobuf') decoder.protobuf(asBuffer(body), ctx);
  else decoder.json(parseJsonRequest(body), ctx);
  const inTime = rejectFarAhead(ctx.items, (item) => decoder.timeOf(item), rejections, decoder.plural);
  return { items: boundAmplification(inTime, bodyBytes(body), limits, rejections, decoder.plural), rejected: rejections.toJSON() };
}
