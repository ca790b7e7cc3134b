// Errors the receivers map to protocol answers: overload (429/503 + Retry-After, gRPC UNAVAILABLE)
// comes from the sink; a malformed body (400, gRPC INVALID_ARGUMENT) comes from the decoders.

/** Thrown by an IngestSink that cannot take more now; the sender should retry after a pause. */
export class IngestOverloadedError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    readonly status: 429 | 503,
  ) {
    super(message);
    this.name = 'IngestOverloadedError';
  }
}

/** The request body is not a valid OTLP message; the message says what is wrong. */
export class OtlpDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OtlpDecodeError';
  }
}

/** One item (span, log record, data point) breaks a limit found while decoding it: the decoder
 * rejects that item with this message (partial success) and carries on with the rest. */
export class ItemLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ItemLimitError';
  }
}
