// OTLP/gRPC receiver: the three Export services on @grpc/grpc-js with raw-bytes (de)serializers,
// so requests go straight to the fast decoders. gzip is handled by grpc-js within the message
// size limit; errors map to UNAUTHENTICATED, INVALID_ARGUMENT, UNAVAILABLE (overload: retryable)
// and INTERNAL for anything unexpected (logged; never passed off as retryable overload).
import * as grpc from '@grpc/grpc-js';
import { IngestOverloadedError, OtlpDecodeError } from './errors.js';
import { IN_FLIGHT_RETRY_AFTER_SECONDS, InFlightReservation, inFlightMessage } from './in-flight.js';
import { otlpTypes } from './proto/root.js';
import { exportRequest, type OtlpReceiverOptions } from './receiver.js';
import type { OtlpSignal } from './types.js';

export interface OtlpGrpcOptions extends OtlpReceiverOptions {
  host: string;
  port: number;
  /** PEM certificate and key: serve TLS only. */
  tls?: { cert: Buffer; key: Buffer };
  /** grpc-js channel options (keepalive, idle and age limits of connections). */
  connectionOptions?: Record<string, number>;
}

export interface RunningOtlpGrpc {
  port: number;
  stop(): Promise<void>;
}

const SERVICE_PATHS: Record<OtlpSignal, string> = {
  traces: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
  logs: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
  metrics: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
};

const identity = (b: Buffer): Buffer => b;

class UnauthenticatedError extends Error {}

function serviceDefinition(signal: OtlpSignal): grpc.ServiceDefinition {
  return {
    Export: {
      path: SERVICE_PATHS[signal],
      requestStream: false,
      responseStream: false,
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: identity,
      responseDeserialize: identity,
      originalName: 'export',
    },
  };
}

/** UNAVAILABLE with a google.rpc.RetryInfo detail, so exporters wait the suggested delay. */
function overloadedStatus(err: IngestOverloadedError): Partial<grpc.StatusObject> {
  const seconds = Math.max(1, Math.ceil(err.retryAfterSeconds));
  const retryInfo = otlpTypes.retryInfo.encode(otlpTypes.retryInfo.fromObject({ retryDelay: { seconds } })).finish();
  const status = otlpTypes.status
    .encode(
      otlpTypes.status.fromObject({
        code: grpc.status.UNAVAILABLE,
        message: err.message,
        details: [{ typeUrl: 'type.googleapis.com/google.rpc.RetryInfo', value: retryInfo }],
      }),
    )
    .finish();
  const metadata = new grpc.Metadata();
  metadata.set('grpc-status-details-bin', Buffer.from(status));
  return { code: grpc.status.UNAVAILABLE, details: err.message, metadata };
}

function exportHandler(signal: OtlpSignal, opts: OtlpGrpcOptions): grpc.handleUnaryCall<Buffer, Buffer> {
  return (call, callback) => {
    const run = async (): Promise<Buffer> => {
      const auth = call.metadata.get('authorization')[0];
      if (!(await opts.authenticate(typeof auth === 'string' ? auth : undefined))) {
        throw new UnauthenticatedError('missing or invalid API key: send authorization: Bearer <key> metadata with the ingest scope');
      }
      // grpc-js has read the message already; refusing here still spares the decode, which holds
      // several times its size.
      const reservation = new InFlightReservation(opts.inFlight);
      try {
        if (!reservation.growTo(call.request.length)) throw new IngestOverloadedError(inFlightMessage(opts.inFlight.limit), IN_FLIGHT_RETRY_AFTER_SECONDS, 429);
        return await exportRequest(signal, call.request, 'protobuf', opts);
      } finally {
        reservation.release();
      }
    };
    run().then(
      (response) => callback(null, response),
      (err: unknown) => {
        if (err instanceof OtlpDecodeError) callback({ code: grpc.status.INVALID_ARGUMENT, details: err.message });
        else if (err instanceof IngestOverloadedError) callback(overloadedStatus(err));
        else if (err instanceof UnauthenticatedError) callback({ code: grpc.status.UNAUTHENTICATED, details: err.message });
        else {
          opts.log?.error({ err, signal, transport: 'grpc' }, 'OTLP/gRPC export failed unexpectedly');
          callback({ code: grpc.status.INTERNAL, details: 'internal error while ingesting this request (the server logged it)' });
        }
      },
    );
  };
}

export function startOtlpGrpcServer(opts: OtlpGrpcOptions): Promise<RunningOtlpGrpc> {
  // grpc-js prints its own errors to stderr (a busy port twice over); what matters reaches the
  // callbacks below and Vigil reports it once, in its own words.
  grpc.setLogVerbosity(grpc.logVerbosity.NONE);
  const server = new grpc.Server({ ...opts.connectionOptions, 'grpc.max_receive_message_length': opts.limits.maxBodyBytes });
  const credentials = opts.tls
    ? grpc.ServerCredentials.createSsl(null, [{ cert_chain: opts.tls.cert, private_key: opts.tls.key }], false)
    : grpc.ServerCredentials.createInsecure();
  for (const signal of ['traces', 'logs', 'metrics'] as const) server.addService(serviceDefinition(signal), { Export: exportHandler(signal, opts) });
  return new Promise((resolve, reject) => {
    server.bindAsync(`${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${opts.port}`, credentials, (err, port) => {
      if (err) return reject(err);
      resolve({
        port,
        stop: () =>
          new Promise<void>((done) => {
            // Finish in-flight exports (they are acknowledged only once stored), then force.
            const timer = setTimeout(() => server.forceShutdown(), 10_000);
            server.tryShutdown(() => {
              clearTimeout(timer);
              done();
            });
          }),
      });
    });
  });
}
