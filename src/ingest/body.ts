// Reads an OTLP/HTTP request body within the size limit: Content-Length is checked before reading,
// the stream is cut off as soon as it passes the limit, and gzip is inflated with an output cap,
// so neither a huge upload nor a gzip bomb can take more than the limit in memory.
import type { Readable } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body is over the limit ingest.maxBodyBytes=${limit}`);
    this.name = 'BodyTooLargeError';
  }
}

export class BodyEncodingError extends Error {}

/** The in-flight budget had no room for more of this body (see in-flight.ts); retry later. */
export class BodyBudgetError extends Error {}

/** Told the bytes read so far (after decompression); false stops reading with BodyBudgetError. */
export type BodyGrowth = (total: number) => boolean;

async function collect(stream: AsyncIterable<Buffer>, limit: number, grow?: BodyGrowth): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLargeError(limit);
    if (grow && !grow(size)) throw new BodyBudgetError('no room in the in-flight budget');
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
}

/** The request body, decoded from its Content-Encoding, at most `limit` bytes before and after. */
export async function readBody(raw: Readable, contentEncoding: string | undefined, limit: number, grow?: BodyGrowth): Promise<Buffer> {
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return collect(raw, limit, grow);
  if (encoding !== 'gzip' && encoding !== 'deflate') throw new BodyEncodingError(`unsupported Content-Encoding "${encoding}" (use gzip or none)`);
  const inflater = encoding === 'gzip' ? createGunzip() : createInflate();
  let compressed = 0;
  let tooLarge = false;
  raw.on('data', (chunk: Buffer) => {
    compressed += chunk.length;
    if (compressed > limit && !tooLarge) {
      tooLarge = true;
      inflater.destroy(new BodyTooLargeError(limit));
    }
  });
  raw.on('error', (err) => inflater.destroy(err));
  raw.pipe(inflater);
  try {
    return await collect(inflater, limit, grow);
  } catch (err) {
    raw.unpipe(inflater);
    inflater.destroy();
    if (err instanceof BodyTooLargeError || err instanceof BodyBudgetError) throw err;
    throw new BodyEncodingError(`request body is not valid ${encoding}: ${(err as Error).message}`);
  }
}
