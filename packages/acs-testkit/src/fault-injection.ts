/**
 * Scripted misbehaviour of the ACS. A script books an {@link InjectedFault} for the next
 * matching request (`scope: "request"`, consumed `times` times) or for every request of the
 * next matching session (`scope: "session"`, from its Inform to its end). The endpoint asks the
 * {@link InjectionBook} which faults apply to each request it is about to answer.
 * @module
 */
import type { CwmpMessageTag } from "@cpekit/core";

/** One way the ACS misbehaves while answering a request. */
export type InjectedFault =
  /** Answer with this HTTP status (and optional headers/body) instead of processing the request. */
  | {
      readonly kind: "status";
      readonly status: number;
      readonly headers?: Readonly<Record<string, string>>;
      readonly body?: string;
    }
  /** 503 with `Retry-After` (seconds), instead of processing the request. */
  | { readonly kind: "serviceUnavailable"; readonly retryAfterSeconds: number }
  /** Process the request normally but wait this long before answering. */
  | { readonly kind: "delay"; readonly ms: number }
  /** Destroy the TCP connection instead of answering (the request is not processed). */
  | { readonly kind: "drop" }
  /** Process normally, then send only the first `keepBytes` bytes (default: half) of the body. */
  | { readonly kind: "truncatedXml"; readonly keepBytes?: number }
  /** Process normally, then send a body that is not well-formed XML. */
  | { readonly kind: "malformedXml" }
  /** Process normally, then append `<x a=1>&bogus</y>` after the whole envelope: not XML, yet
   * the envelope itself is intact, so only a well-formedness check refuses it (issue 9). */
  | { readonly kind: "trailingMarkup" }
  /** Set `cwmp:HoldRequests` to true on the envelope sent in answer. */
  | { readonly kind: "holdRequests" }
  /** Answer a CPE request (Inform, TransferComplete, ...) with this CWMP fault (e.g. 8005).
   * A faulted Inform opens no session, so with scope "session" it faults the Inform only. */
  | { readonly kind: "cwmpFault"; readonly code: number; readonly faultString?: string }
  /** Never end the session: where the ACS would send its final 204 it keeps the CPE waiting
   * until a call is queued for the device (then sends it) or the ACS stops. */
  | { readonly kind: "neverEnd" };

/** Which requests a booked fault applies to. */
export interface InjectionTarget {
  /** `"request"` (default): the next matching request(s); `"session"`: every request of the
   * next matching session. */
  readonly scope?: "request" | "session";
  /** Only requests of this device (see `deviceKeyOf`). Requests not yet tied to a device (no
   * session, and not an Inform) match only when this is absent. */
  readonly deviceId?: string;
  /** Only requests carrying this message (`"empty"` for the CPE's empty POST); with scope
   * "session", only those requests within the session. */
  readonly message?: CwmpMessageTag | "empty";
  /** How many requests (scope "request") or sessions (scope "session") it applies to; 1 by
   * default, `Infinity` for all. */
  readonly times?: number;
}

/** What the endpoint knows of a request when it asks which faults apply. */
export interface RequestFacts {
  readonly deviceId: string | undefined;
  readonly message: CwmpMessageTag | "empty" | undefined;
  /** True when the message is a CPE request (Inform, TransferComplete, ...): only those can
   * take a `cwmpFault`. */
  readonly isCpeRequest: boolean;
}

/** A session-scoped fault held by a session, with its message filter. */
export interface SessionFault {
  readonly fault: InjectedFault;
  readonly message?: CwmpMessageTag | "empty";
}

/**
 * Whether a fault (with its optional message filter) applies to a request: the message must
 * match, and a `cwmpFault` applies only to CPE requests.
 */
export const faultApplies = (f: SessionFault, facts: RequestFacts): boolean =>
  (f.message === undefined || f.message === facts.message) &&
  (f.fault.kind !== "cwmpFault" || facts.isCpeRequest);

interface Booking {
  readonly fault: InjectedFault;
  readonly target: InjectionTarget;
  remaining: number;
}

const asSessionFault = (b: Booking): SessionFault =>
  b.target.message === undefined
    ? { fault: b.fault }
    : { fault: b.fault, message: b.target.message };

/** The faults booked on one ACS, in booking order (one instance per ACS). */
export class InjectionBook {
  private readonly bookings: Booking[] = [];

  /** Books a fault. */
  book(fault: InjectedFault, target: InjectionTarget = {}): void {
    this.bookings.push({ fault, target, remaining: target.times ?? 1 });
  }

  /** Removes every booking not yet used up. */
  clear(): void {
    this.bookings.length = 0;
  }

  /** Consumes and returns the request-scoped faults that apply to this request. */
  takeForRequest(facts: RequestFacts): InjectedFault[] {
    return this.take("request", facts.deviceId, (b) => faultApplies(asSessionFault(b), facts)).map(
      (b) => b.fault,
    );
  }

  /**
   * Consumes and returns the session-scoped faults for a session of `deviceId` starting now;
   * the session applies each to its requests through {@link faultApplies}.
   */
  takeForSession(deviceId: string): SessionFault[] {
    return this.take("session", deviceId, () => true).map(asSessionFault);
  }

  private take(
    scope: "request" | "session",
    deviceId: string | undefined,
    applies: (b: Booking) => boolean,
  ): Booking[] {
    const out: Booking[] = [];
    for (const b of this.bookings) {
      if ((b.target.scope ?? "request") !== scope || b.remaining <= 0) continue;
      if (b.target.deviceId !== undefined && b.target.deviceId !== deviceId) continue;
      if (!applies(b)) continue;
      b.remaining--;
      out.push(b);
    }
    for (let i = this.bookings.length - 1; i >= 0; i--)
      if ((this.bookings[i]?.remaining ?? 0) <= 0) this.bookings.splice(i, 1);
    return out;
  }
}

/** A short human description of a fault, for the transcript's text form. */
export const describeFault = (f: InjectedFault): string => {
  switch (f.kind) {
    case "status":
      return `status ${f.status}`;
    case "serviceUnavailable":
      return `503 Retry-After ${f.retryAfterSeconds}`;
    case "delay":
      return `delay ${f.ms} ms`;
    case "drop":
      return "drop connection";
    case "truncatedXml":
      return `truncated XML${f.keepBytes === undefined ? "" : ` (${f.keepBytes} bytes)`}`;
    case "malformedXml":
      return "malformed XML";
    case "trailingMarkup":
      return "markup after the envelope";
    case "holdRequests":
      return "HoldRequests=true";
    case "cwmpFault":
      return `CWMP fault ${f.code}`;
    case "neverEnd":
      return "never end session";
  }
};
