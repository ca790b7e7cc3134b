// OTLP/HTTP receiver: POST /v1/traces, /v1/logs, /v1/metrics on a Fastify instance. Checks the key,
// content type and declared size before reading, reads within the body limit (gzip included),
// decodes, hands the batch to the sink and answers per the OTLP/HTTP spec in the request's encoding.
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BodyBudgetError, BodyEncodingError, BodyTooLargeError, readBody } from './body.js';
import { IngestOverloadedError, OtlpDecodeError } from './errors.js';
import { IN_FLIGHT_RETRY_AFTER_SECONDS, InFlightReservation, inFlightMessage } from './in-flight.js';
import { exportRequest, type OtlpReceiverOptions } from './receiver.js';
import { CONTENT_TYPE, encodeStatus, GrpcCode } from './responses.js';
import type { OtlpEncoding, OtlpSignal } from './types.js';

export type OtlpHttpOptions = OtlpReceiverOptions;

const SIGNALS: readonly OtlpSignal[] = ['traces', 'logs', 'metrics'];

/** The OTLP encoding of a Content-Type header, or undefined if it is not one OTLP defines. */
export function encodingOf(contentType: string | undefined): OtlpEncoding | undefined {
  const mime = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (mime === 'application/x-protobuf' || mime === 'application/protobuf') return 'protobuf';
  if (mime === 'application/json') return 'json';
  return undefined;
}

function send(reply: FastifyReply, status: number, encoding: OtlpEncoding, body: Buffer): FastifyReply {
  return reply.code(status).header('content-type', CONTENT_TYPE[encoding]).send(body);
}

function fail(reply: FastifyReply, status: number, grpcCode: number, message: string, encoding: OtlpEncoding): FastifyReply {
  return send(reply, status, encoding, encodeStatus(grpcCode, message, encoding));
}

export function registerOtlpHttpRoutes(app: FastifyInstance, opts: OtlpHttpOptions): void {
  const { limits, authenticate } = opts;

  // Runs before the body is read: a rejected request costs no memory.
  const admit = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const encoding = encodingOf(request.headers['content-type']);
    if (!(await authenticate(request.headers.authorization))) {
      return fail(
        reply,
        401,
        GrpcCode.UNAUTHENTICATED,
        'missing or invalid API key: send Authorization: Bearer <key> with the ingest scope',
        encoding ?? 'json',
      );
    }
    if (!encoding) {
      return fail(
        reply,
        415,
        GrpcCode.INVALID_ARGUMENT,
        `unsupported Content-Type "${request.headers['content-type'] ?? ''}": use application/x-protobuf or application/json`,
        'json',
      );
    }
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > limits.maxBodyBytes) {
      reply.header('connection', 'close');
      return fail(
        reply,
        413,
        GrpcCode.INVALID_ARGUMENT,
        `request body of ${declared} bytes is over the limit ingest.maxBodyBytes=${limits.maxBodyBytes}`,
        encoding,
      );
    }
    return undefined;
  };

  const busy = (reply: FastifyReply, encoding: OtlpEncoding): FastifyReply => {
    // The unread rest of the body is not wanted: closing is cheaper than draining it.
    reply.header('connection', 'close').header('retry-after', String(IN_FLIGHT_RETRY_AFTER_SECONDS));
    return fail(reply, 429, GrpcCode.RESOURCE_EXHAUSTED, inFlightMessage(opts.inFlight.limit), encoding);
  };

  const exportBody = async (
    signal: OtlpSignal,
    encoding: OtlpEncoding,
    request: FastifyRequest,
    reply: FastifyReply,
    reservation: InFlightReservation,
  ): Promise<FastifyReply> => {
    if (!reservation.growTo(Number(request.headers['content-length'] ?? 0) || 0)) return busy(reply, encoding);
    let body: Buffer;
    try {
      body = request.body
        ? await readBody(request.body as Readable, request.headers['content-encoding'], limits.maxBodyBytes, (total) => reservation.growTo(total))
        : Buffer.alloc(0);
    } catch (err) {
      if (err instanceof BodyTooLargeError) {
        reply.header('connection', 'close');
        return fail(reply, 413, GrpcCode.INVALID_ARGUMENT, err.message, encoding);
      }
      if (err instanceof BodyBudgetError) return busy(reply, encoding);
      if (err instanceof BodyEncodingError) return fail(reply, 400, GrpcCode.INVALID_ARGUMENT, err.message, encoding);
      throw err;
    }
    let response: Buffer;
    try {
      response = await exportRequest(signal, body, encoding, opts);
    } catch (err) {
      if (err instanceof OtlpDecodeError) return fail(reply, 400, GrpcCode.INVALID_ARGUMENT, err.message, encoding);
      if (!(err instanceof IngestOverloadedError)) throw err;
      reply.header('retry-after', String(Math.max(1, Math.ceil(err.retryAfterSeconds))));
      return fail(reply, err.status, err.status === 429 ? GrpcCode.RESOURCE_EXHAUSTED : GrpcCode.UNAVAILABLE, err.message, encoding);
    }
    return send(reply, 200, encoding, response);
  };

  // Anything unexpected (a decoder bug, a sink failure that is not overload) is a 500 the sender
  // should not blindly retry, and is logged: it is never answered as a retryable overload.
  const handle =
    (signal: OtlpSignal) =>
    async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
      const encoding = encodingOf(request.headers['content-type']) ?? 'json';
      const reservation = new InFlightReservation(opts.inFlight);
      try {
        return await exportBody(signal, encoding, request, reply, reservation);
      } catch (err) {
        opts.log?.error({ err, signal, transport: 'http' }, 'OTLP/HTTP export failed unexpectedly');
        return fail(reply, 500, GrpcCode.INTERNAL, 'internal error while ingesting this request (the server logged it)', encoding);
      } finally {
        reservation.release();
      }
    };

  void app.register((scope, _options, done) => {
    // The receivers read raw bytes themselves (size limit, gzip), so no body parser runs here.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, parsed) => parsed(null, payload));
    for (const signal of SIGNALS) scope.post(`/v1/${signal}`, { onRequest: admit }, handle(signal));
    done();
  });
}
