/**
 * Test support: the `SessionOutput` of a session that ended well and carried nothing, for tests
 * of what the agent does with a session's outcome.
 * @module
 */
import { noAfterSession } from "../../rpc/after-session.js";
import type { SessionOutput } from "../../session/session-io.js";

/** A finished 1.4 session with an Inform delivered and nothing else; `over` replaces fields. */
export const sessionOutput = (over: Partial<SessionOutput> = {}): SessionOutput => ({
  outcome: "done",
  version: "1.4",
  informDelivered: true,
  informedEvents: [],
  deliveredCpeRequests: [],
  cpeResponses: {},
  rejectedCpeRequests: [],
  heldCpeRequests: [],
  afterSession: noAfterSession,
  ...over,
});
