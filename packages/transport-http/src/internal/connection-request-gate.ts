/**
 * Coalescing of Connection Requests into session triggers (requirement C5), as a pure state
 * machine: several requests before the session starts give one trigger; requests during a
 * session give one trigger after it ends.
 * @module
 */

/** Where the device stands with respect to sessions triggered by Connection Requests. */
export interface GateState {
  /** `idle`: no trigger outstanding; `triggered`: a trigger awaits its session; `session`: a session runs. */
  readonly phase: "idle" | "triggered" | "session";
  /** A request arrived during the current session. */
  readonly again: boolean;
}

/** The state before any request. */
export const initialGate: GateState = { phase: "idle", again: false };

/** An authenticated request arrived: returns the new state and whether to emit a trigger. */
export const gateOnRequest = (s: GateState): readonly [boolean, GateState] => {
  switch (s.phase) {
    case "idle":
      return [true, { phase: "triggered", again: false }];
    case "triggered":
      return [false, s];
    case "session":
      return [false, { phase: "session", again: true }];
  }
};

/** A session started: its Inform covers any outstanding trigger. */
export const gateOnSessionStart = (_: GateState): GateState => ({ phase: "session", again: false });

/** The session ended: returns the new state and whether to emit a trigger for requests made meanwhile. */
export const gateOnSessionEnd = (s: GateState): readonly [boolean, GateState] =>
  s.phase === "session" && s.again
    ? [true, { phase: "triggered", again: false }]
    : [false, s.phase === "session" ? initialGate : s];
