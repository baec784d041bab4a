/**
 * Codecs of Kicked and KickedResponse.
 * @module
 */
import type { Kicked, KickedResponse } from "../cpe-methods.js";
import { type DecodeContext, type Located, str } from "../xml-reader.js";
import { el, message } from "../xml-writer.js";

/** Decodes Kicked. */
export const decodeKicked = (e: Located, cx: DecodeContext): Kicked => ({
  _tag: "Kicked",
  command: str(e, "Command", cx),
  referer: str(e, "Referer", cx),
  arg: str(e, "Arg", cx),
  next: str(e, "Next", cx),
});

/** Encodes Kicked. */
export const encodeKicked = (m: Kicked): string =>
  message(
    "Kicked",
    el("Command", m.command) + el("Referer", m.referer) + el("Arg", m.arg) + el("Next", m.next),
  );

/** Decodes KickedResponse. */
export const decodeKickedResponse = (e: Located, cx: DecodeContext): KickedResponse => ({
  _tag: "KickedResponse",
  nextUrl: str(e, "NextURL", cx),
});

/** Encodes KickedResponse. */
export const encodeKickedResponse = (m: KickedResponse): string =>
  message("KickedResponse", el("NextURL", m.nextUrl));
