/**
 * The one-line summary of a SOAP body for the session log, without decoding it when a glance
 * suffices. The log summarizes every body the device sends and receives; decoding each one a
 * second time (the session decodes what it receives) cost a `cpekit run` session more CPU than
 * its own decoding. The messages of a routine session (Inform, InformResponse,
 * GetParameterValues and its response, the empty POST) are read with a few anchored patterns;
 * any other body, or one these patterns do not fully account for (entities, unexpected
 * layout), is decoded and described by {@link describeMessage}, so the text is the same.
 * @module
 */
import { decodeEnvelope } from "@cpekit/core";
import { Either } from "effect";
import { describeMessage } from "./describe-message.js";

const methodPattern =
  /<(?:[A-Za-z_][\w.-]*:)?Body\b[^>]*>\s*<(?:[A-Za-z_][\w.-]*:)?([A-Za-z]\w*)[\s/>]/;
const eventPattern =
  /<EventStruct>\s*<EventCode>([^<&]*)<\/EventCode>\s*<CommandKey>([^<&]*)<\/CommandKey>\s*<\/EventStruct>/g;
const namePattern = /<string>([^<&]*)<\/string>/g;

const count = (text: string, needle: string): number => {
  let n = 0;
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
};

const names = (list: readonly string[]): string =>
  list.length <= 2 ? list.join(", ") : `${list.slice(0, 2).join(", ")}, +${list.length - 2}`;

/** The summary read from the text alone, or undefined when only a decode can tell. */
const glance = (body: string): string | undefined => {
  if (body.includes("&")) return undefined;
  const method = methodPattern.exec(body)?.[1];
  switch (method) {
    case "InformResponse":
      return method;
    case "Inform": {
      const events = [...body.matchAll(eventPattern)].map(([, code, key]) =>
        key === "" ? code : `${code}(${key})`,
      );
      return events.length === count(body, "<EventStruct>")
        ? `Inform [${events.join(", ")}]`
        : undefined;
    }
    case "GetParameterValues": {
      const list = [...body.matchAll(namePattern)].map(([, name]) => name ?? "");
      return list.length === count(body, "<string") ? `${method} ${names(list)}` : undefined;
    }
    case "GetParameterValuesResponse": {
      const n = count(body, "<ParameterValueStruct>");
      return n === count(body, "<ParameterValueStruct")
        ? `${method} (${n} value${n === 1 ? "" : "s"})`
        : undefined;
    }
    default:
      return undefined;
  }
};

/** A one-line summary of `body`; `emptyText` for the empty body. */
export const summarizeBody = (body: string | null, emptyText: string): string => {
  if (body === null || body.trim() === "") return emptyText;
  return (
    glance(body) ??
    Either.match(decodeEnvelope(body), {
      onLeft: (e) => `undecodable (${e.message})`,
      onRight: ({ envelope }) => describeMessage(envelope.body),
    })
  );
};
