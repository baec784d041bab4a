/**
 * One POST of a session: the envelope encoded, sent over the session's connection, and the
 * ACS's answer decoded.
 * @module
 */
import { Effect } from "effect";
import type { AcsConnection, TransportError } from "../ports/acs-transport.js";
import type { DecodeError } from "../soap/decode-error.js";
import type { Envelope } from "../soap/messages.js";
import type { SessionCodec } from "./session-codec.js";
import type { PostOutput } from "./session-io.js";

/** POSTs one envelope (or the empty POST) and decodes the answer; an empty body is `null` (H3). */
export const postEnvelope = (
  connection: AcsConnection,
  codec: SessionCodec,
  envelope: Envelope | null,
): Effect.Effect<PostOutput, TransportError | DecodeError> =>
  Effect.flatMap(
    connection.post(envelope === null ? null : codec.encode(envelope)),
    (response): Effect.Effect<PostOutput, DecodeError> =>
      response.body.trim() === ""
        ? Effect.succeed({ envelope: null })
        : Effect.map(codec.decode(response.body), (decoded) => ({ envelope: decoded })),
  );
