// Hand-built OTLP protobuf for tests and the fuzzer: shapes protobufjs cannot encode (an AnyValue
// nested thousands deep would overflow its recursive encoder), framed byte by byte.

export function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
}

/** A length-delimited field: tag, length, bytes. */
export function lenField(field: number, bytes: Buffer): Buffer {
  return Buffer.concat([varint((field << 3) | 2), varint(bytes.length), bytes]);
}

/** An AnyValue of `depth` nested array values around an empty value, built outside-in without
 * recursion (each level: AnyValue.array_value(5) → ArrayValue.values(1) → the next AnyValue). */
export function nestedAnyValue(depth: number): Buffer {
  const sizes = [0];
  const arrays = [0];
  for (let k = 1; k <= depth; k++) {
    const inner = sizes[k - 1]!;
    const array = 1 + varint(inner).length + inner;
    arrays.push(array);
    sizes.push(1 + varint(array).length + array);
  }
  const parts: Buffer[] = [];
  for (let k = depth; k >= 1; k--) parts.push(Buffer.from([0x2a]), varint(arrays[k]!), Buffer.from([0x0a]), varint(sizes[k - 1]!));
  return Buffer.concat(parts);
}

/** A KeyValue message. */
export function keyValue(key: string, anyValue: Buffer): Buffer {
  return Buffer.concat([lenField(1, Buffer.from(key)), lenField(2, anyValue)]);
}

/** ExportTraceServiceRequest { ResourceSpans { ScopeSpans { spans } } } from encoded Span messages. */
export function traceRequestOf(spans: Buffer[], resource: Buffer = Buffer.alloc(0)): Buffer {
  const scopeSpans = Buffer.concat(spans.map((s) => lenField(2, s)));
  const resourceSpans = Buffer.concat([resource.length ? lenField(1, resource) : Buffer.alloc(0), lenField(2, scopeSpans)]);
  return lenField(1, resourceSpans);
}

/** ExportLogsServiceRequest with one resource and scope around encoded LogRecord messages. */
export function logsRequestOf(records: Buffer[]): Buffer {
  return lenField(1, lenField(2, Buffer.concat(records.map((r) => lenField(2, r)))));
}

function fixed64(nanos: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(nanos);
  return b;
}

/** A valid Span message at `startNanos` with extra fields appended (e.g. an attribute). */
export function spanBytes(n: number, startNanos: bigint, extra: Buffer = Buffer.alloc(0)): Buffer {
  const traceId = Buffer.alloc(16, 0x11);
  const spanId = Buffer.alloc(8);
  spanId.writeUInt32BE(n + 1, 4);
  return Buffer.concat([
    lenField(1, traceId),
    lenField(2, spanId),
    lenField(5, Buffer.from(`s${n}`)),
    Buffer.from([0x39]),
    fixed64(startNanos),
    Buffer.from([0x41]),
    fixed64(startNanos + 1_000_000n),
    extra,
  ]);
}

/** A valid LogRecord message at `timeNanos` with extra fields appended (e.g. a body). */
export function logBytes(timeNanos: bigint, extra: Buffer = Buffer.alloc(0)): Buffer {
  return Buffer.concat([Buffer.from([0x09]), fixed64(timeNanos), extra]);
}

/** The issue-17 amplification shape: one resource of 128 attributes of 16,000 characters and as
 * many tiny spans as fill `bytes` (4 MB made 419 MB of write-ahead log before the bound). */
export function amplificationRequest(bytes: number, startNanos: bigint): { body: Buffer; spans: number } {
  const resource = Buffer.concat(
    Array.from({ length: 128 }, (_, i) => lenField(1, keyValue(i === 0 ? 'service.name' : `attr.${i}`, lenField(1, Buffer.alloc(16_000, 0x61))))),
  );
  const spans: Buffer[] = [];
  let size = resource.length;
  for (let n = 0; size < bytes; n++) {
    const span = spanBytes(n, startNanos + BigInt(n));
    spans.push(span);
    size += span.length + 2;
  }
  return { body: traceRequestOf(spans, resource), spans: spans.length };
}
