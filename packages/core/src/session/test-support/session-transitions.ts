/**
 * The session machine as pure transitions (XState's `initialTransition` and `transition`: no
 * actor runs, no exchange is made), and the ACS's answers the rule tests feed it.
 * @module
 */
import { initialTransition, transition } from "xstate";
import type { SoapHeader } from "../../soap/messages.js";
import { sessionMachine } from "../session.machine.js";
import type { SessionEvent } from "../session-events.js";
import type { SessionInput } from "../session-io.js";
import { sessionInput } from "./session-fixtures.js";

/** A snapshot of the session machine. */
export type SessionSnapshot = ReturnType<typeof initialTransition<typeof sessionMachine>>[0];

/** The machine's first snapshot for `input` (by default one TransferComplete queued). */
export const start = (input: SessionInput = sessionInput()): SessionSnapshot =>
  initialTransition(sessionMachine, input)[0];

/** The snapshot after `events`, in order. */
export const run = (snapshot: SessionSnapshot, ...events: SessionEvent[]): SessionSnapshot =>
  events.reduce((s, e) => transition(sessionMachine, s, e)[0], snapshot);

export const informResponse = (header: SoapHeader = {}): SessionEvent => ({
  type: "INFORM_RESPONSE",
  header,
});

export const transferCompleteResponse = (header: SoapHeader = {}): SessionEvent => ({
  type: "ACS_RESPONSE",
  header,
  response: { _tag: "TransferCompleteResponse" },
});

/** A SOAP Fault from the ACS; its FaultString is `fault <code>` unless given. */
export const acsFault = (
  faultCode: number,
  header: SoapHeader = {},
  faultString = `fault ${faultCode}`,
): SessionEvent => ({ type: "ACS_FAULT", header, faultCode, faultString });

/** A GetParameterValues from the ACS, with the cwmp:ID `acs-1` unless another header is given. */
export const gpv = (header: SoapHeader = { id: "acs-1" }): SessionEvent => ({
  type: "ACS_REQUEST",
  header,
  request: { _tag: "GetParameterValues", parameterNames: ["Device.DeviceInfo.SerialNumber"] },
});

/** The ACS's empty HTTP answer. */
export const empty: SessionEvent = { type: "EMPTY_RESPONSE" };
