/**
 * What one exchange of the test ACS's transcript was, in words: who asked, what, and what came
 * back. Shared by the demo's text transcript and its sequence diagram.
 * @module
 */
import type { ExchangeMessage, TranscriptEntry } from "@cpekit/acs-testkit";
import { describeMessage } from "../output/describe-message.js";

/** One exchange, summarised. */
export interface ExchangeSummary {
  /** Who sent the request: the CPE (CWMP, file transfers) or the ACS (connection requests). */
  readonly from: "CPE" | "ACS";
  /** The ACS side involved: its CWMP endpoint or its file server. */
  readonly server: "ACS" | "Files";
  readonly request: string;
  readonly response: string;
  readonly sessionId?: string;
}

const cwmpText = (m: ExchangeMessage, empty: string): string =>
  m.envelope !== undefined
    ? describeMessage(m.envelope.body)
    : m.message === "empty" || m.body === ""
      ? empty
      : (m.message ?? "unreadable body");

const pathOf = (url: string): string => {
  try {
    return new URL(url, "http://127.0.0.1").pathname;
  } catch {
    return url;
  }
};

/** The summary of a transcript entry. */
export const summarizeExchange = (e: TranscriptEntry): ExchangeSummary => {
  const status = e.response.status;
  switch (e.kind) {
    case "cwmp":
      return {
        from: "CPE",
        server: "ACS",
        request: cwmpText(e.request, "empty POST"),
        response:
          status === 200
            ? cwmpText(e.response, `HTTP ${status}`)
            : status === 204
              ? "HTTP 204 (end of session)"
              : `HTTP ${status}${e.response.body === "" ? "" : ` ${cwmpText(e.response, "")}`}`.trim(),
        ...(e.sessionId === undefined ? {} : { sessionId: e.sessionId }),
      };
    case "connectionRequest":
      if (e.method === "UDP")
        return {
          from: "ACS",
          server: "ACS",
          request: `UDP connection request${e.notes.length > 0 ? ` (${e.notes.join("; ")})` : ""}`,
          response: "no answer (UDP)",
        };
      return {
        from: "ACS",
        server: "ACS",
        request: `connection request GET ${pathOf(e.url)}${e.notes.length > 0 ? ` (${e.notes.join("; ")})` : ""}`,
        response: `HTTP ${status}`,
      };
    case "fileDownload":
    case "upload":
      return {
        from: "CPE",
        server: "Files",
        request: `${e.method} ${pathOf(e.url)}`,
        response: `HTTP ${status}${e.response.body === "" ? "" : ` ${e.response.body}`}`,
      };
    default:
      return {
        from: "CPE",
        server: "ACS",
        request: `${e.method} ${pathOf(e.url)}`,
        response: `HTTP ${status}`,
      };
  }
};

/** One transcript line: `#3 CPE -> ACS  Inform [...]  <-  InformResponse`. */
export const exchangeLine = (e: TranscriptEntry): string => {
  const s = summarizeExchange(e);
  const to = s.from === "CPE" ? s.server : "CPE";
  return `  #${e.seq} ${s.from} -> ${to}: ${s.request}  <-  ${s.response}`;
};
