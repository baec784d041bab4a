/**
 * How one session turns envelopes into HTTP bodies and back: the SOAP codec of `soap/`, or a
 * stand-in given by tests and benchmarks.
 * @module
 */
import { Effect, Either } from "effect";
import { decodeEnvelope } from "../soap/decode-envelope.js";
import type { DecodeError } from "../soap/decode-error.js";
import { encodeEnvelope } from "../soap/encode-envelope.js";
import type { Envelope } from "../soap/messages.js";

/** How envelopes become bodies and back (the SOAP codec, or a stand-in in tests). */
export interface SessionCodec {
  readonly encode: (envelope: Envelope) => string;
  readonly decode: (body: string) => Effect.Effect<Envelope, DecodeError>;
  /**
   * `decode` as a plain call, for a POST made without a fiber (issue 11): the envelope or the
   * error, or `undefined` when the decode has more to do than return (the SOAP codec's
   * tolerance warnings are logged through Effect): `decode` is then used. Optional.
   */
  readonly decodeNow?: (body: string) => Either.Either<Envelope, DecodeError> | undefined;
}

/** The SOAP codec of `soap/`; the decoder's tolerance warnings are logged at debug level. */
export const soapCodec: SessionCodec = {
  encode: (envelope) => encodeEnvelope(envelope),
  decode: (body) =>
    Either.match(decodeEnvelope(body), {
      onLeft: (error) => Effect.fail(error),
      onRight: ({ envelope, warnings }) =>
        warnings.length === 0
          ? Effect.succeed(envelope)
          : Effect.as(Effect.logDebug("CWMP decode warnings", ...warnings), envelope),
    }),
  decodeNow: (body) => {
    const decoded = decodeEnvelope(body);
    if (Either.isLeft(decoded)) return Either.left(decoded.left);
    return decoded.right.warnings.length === 0 ? Either.right(decoded.right.envelope) : undefined;
  },
};
