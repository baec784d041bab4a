/**
 * The shape of one message's codec: a decode function from the parsed body element and an
 * encode function to the body element's XML text.
 * @module
 */
import type { CwmpMessage } from "../messages.js";
import type { DecodeContext, Located } from "../xml-reader.js";
import { message } from "../xml-writer.js";

/** Decode and encode of one message kind. */
export interface MessageCodec<M extends CwmpMessage> {
  /** Reads the message from its body element; throws `DecodeError` (caught by `decodeEnvelope`). */
  readonly decode: (e: Located, cx: DecodeContext) => M;
  /** Writes the message element (`<cwmp:Name>…</cwmp:Name>`). */
  readonly encode: (m: M) => string;
}

/** The codec of a message without fields (`RebootResponse`, `FactoryReset`, ...). */
export const emptyCodec = <M extends CwmpMessage>(tag: M["_tag"]): MessageCodec<M> => {
  const value = { _tag: tag } as M;
  const xml = message(tag, "");
  return { decode: () => value, encode: () => xml };
};
