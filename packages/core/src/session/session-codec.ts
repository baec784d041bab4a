/**
 * How one session turns envelopes into HTTP bodies and back: the SOAP codec of `soap/`, or a
 * stand-in given by tests and benchmarks.
 * @module
 */
import { Effect, Either } from "effect";
import { type DecodeResult, decodeEnvelope } from "../soap/decode-envelope.js";
import type { DecodeError } from "../soap/decode-error.js";
import { encodeEnvelope } from "../soap/encode-envelope.js";
import type { Envelope } from "../soap/messages.js";

/** How envelopes become bodies and back (the SOAP codec, or a stand-in in tests). */
export interface SessionCodec {
  readonly encode: (envelope: Envelope) => string;
  readonly decode: (body: string) => Effect.Effect<Envelope, DecodeError>;
  /**
   * `decode` as a plain call, for a POST made without a fiber (issue 11): the envelope with the
   * tolerances applied (which the caller logs), or the error. Optional.
   */
  readonly decodeNow?: (body: string) => Either.Either<DecodeResult, DecodeError>;
}

/** The SOAP codec of `soap/`; the decoder's tolerance warnings are logged at debug level. */
export const soapCodec: SessionCodec = {
  encode: (envelope) => encodeEnvelope(envelope),
  decode: (body) =>
    Either.match(decodeEnvelope(body), {
      onLeft: (error) => Effect.fail(error),
      onRight: (decoded) => logDecodeWarnings(decoded),
    }),
  decodeNow: (body) => decodeEnvelope(body),
};

/** The envelope, after logging the decoder's tolerance warnings (if any) at debug level. */
export const logDecodeWarnings = ({ envelope, warnings }: DecodeResult): Effect.Effect<Envelope> =>
  warnings.length === 0
    ? Effect.succeed(envelope)
    : Effect.as(Effect.logDebug("CWMP decode warnings", ...warnings), envelope);
