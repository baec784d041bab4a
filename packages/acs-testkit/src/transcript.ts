/**
 * The record of every HTTP exchange the testkit took part in: CWMP POSTs, file downloads and
 * uploads, and connection requests it sent. Exportable as JSON (for tooling and the conformance
 * report) and as text (for a failing test's log).
 * @module
 */
import type { Envelope } from "@cpekit/core";
import { describeFault, type InjectedFault } from "./fault-injection.js";

/** What an exchange was. */
export type ExchangeKind = "cwmp" | "fileDownload" | "upload" | "connectionRequest" | "other";

/** One side of an exchange. */
export interface ExchangeMessage {
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  /** The body as text (CWMP, errors) or a size note for binary payloads. */
  readonly body: string;
  /** The CWMP message name (`"Inform"`, `"GetParameterValuesResponse"`), `"empty"` for an
   * empty CWMP body, absent when the body is not CWMP. */
  readonly message?: string;
  /** The decoded envelope, when the body was one. */
  readonly envelope?: Envelope;
  /** Decoder warnings (tolerated deviations in what the CPE sent). */
  readonly warnings?: readonly string[];
}

/** One HTTP exchange, as the transcript keeps it. */
export interface TranscriptEntry {
  /** 1-based order of arrival. */
  readonly seq: number;
  readonly kind: ExchangeKind;
  /** ISO time the request arrived (or was sent, for connection requests). */
  readonly startedAt: string;
  /** Milliseconds from arrival to the last byte answered (or the drop). */
  readonly durationMs: number;
  /** Which TCP connection carried it (1-based per ACS), to see session resumption; 0 for the
   * exchanges the ACS initiated (connection requests). */
  readonly connection: number;
  readonly method: string;
  readonly url: string;
  readonly sessionId?: string;
  readonly deviceId?: string;
  readonly request: ExchangeMessage;
  /**
   * The answer; `status` is `"dropped"` when the connection was destroyed instead, `"none"` for
   * a message that gets no answer by design (a UDP connection request, Annex G).
   */
  readonly response: ExchangeMessage & { readonly status: number | "dropped" | "none" };
  readonly injected: readonly InjectedFault[];
  /** Protocol observations (violations by the CPE, version detected, ...). */
  readonly notes: readonly string[];
}

/** The transcript of one ACS (one instance per ACS, appended in arrival order). */
export class Transcript {
  private readonly list: TranscriptEntry[] = [];

  /** Appends an entry, numbering it; returns the numbered entry. */
  add(entry: Omit<TranscriptEntry, "seq">): TranscriptEntry {
    const numbered = { seq: this.list.length + 1, ...entry };
    this.list.push(numbered);
    return numbered;
  }

  /** Every entry so far, oldest first. */
  entries(): readonly TranscriptEntry[] {
    return [...this.list];
  }

  /** The entries as a JSON document (pretty-printed). */
  toJson(): string {
    return JSON.stringify({ entries: this.list }, null, 2);
  }

  /** The entries as readable text, one block per exchange. */
  toText(): string {
    return this.list.map(entryText).join("\n");
  }
}

const entryText = (e: TranscriptEntry): string => {
  const who = [
    e.sessionId ? `session=${e.sessionId}` : undefined,
    e.deviceId ? `device=${e.deviceId}` : undefined,
  ]
    .filter((x) => x !== undefined)
    .join(" ");
  const lines = [
    `#${e.seq} ${e.startedAt} ${e.kind} conn#${e.connection} ${e.method} ${e.url}${who ? ` ${who}` : ""}`,
    `  -> ${e.request.message ?? bodySummary(e.request.body)}`,
    e.response.status === "none"
      ? "  <- no answer (none is sent)"
      : `  <- ${e.response.status} ${e.response.message ?? bodySummary(e.response.body)} (${e.durationMs} ms)`,
  ];
  if (e.injected.length > 0) lines.push(`  injected: ${e.injected.map(describeFault).join(", ")}`);
  for (const n of e.notes) lines.push(`  note: ${n}`);
  return lines.join("\n");
};

const bodySummary = (body: string): string =>
  body === "" ? "(no body)" : body.length > 60 ? `${body.slice(0, 57)}...` : body;
