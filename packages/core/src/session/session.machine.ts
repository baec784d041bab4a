/**
 * The session machine: one CWMP session, as a TR-069 engineer draws it
 * (`inform -> cpeRequests -> emptyPost -> acsRequests -> done`, `failed` from every state).
 *
 * It does no I/O: the entry action of each state that waits starts an exchange (`post`,
 * `handleRpc`) through the {@link SessionExchange} in its input (`run-session.ts` gives the
 * transport's, tests give fakes), and the exchange's result comes back as an event sent to
 * the machine itself. A plain call, not an invoked actor per POST: actors, promises and abort
 * signals per message were most of the session's XState cost (issue 11). Its input, output
 * and exchange contracts are in `session-io.ts` and `session-exchange.ts`; its events in
 * `session-events.ts`.
 *
 * Rules (requirement IDs of `cwmp-requirements.md`):
 * - H1: the Inform goes first; nothing else is sent before its InformResponse.
 * - H2: then the CPE's queued requests, one at a time, then the empty POST; the ACS's requests
 *   arrive in HTTP responses and each is answered in the next POST.
 * - V5 HoldRequests: every ACS SOAP envelope sets or clears it (HoldRequests=true holds, a
 *   header without it or with false clears it). An empty HTTP answer is not an envelope and
 *   leaves it as the last envelope set it. Queued CPE requests are sent only from
 *   `cpeRequests`, entered after the InformResponse and again when the ACS ends its side
 *   (EMPTY_RESPONSE) while requests are queued and not held: an ACS that cleared HoldRequests
 *   in a later request gets the held requests after the CPE's answer to that request, when the
 *   ACS's empty answer gives the CPE the floor, before the session closes. Requests added
 *   during the session by handlers are reported in the output, not sent in this session.
 * - H3 (TR-069 session end): the session is done when the ACS answers with an empty body and
 *   the CPE has no further requests to send: none is queued, OR the most recent ACS envelope
 *   carried HoldRequests=true. Requests held at that point are not sent (the ACS has ended the
 *   session); they are reported as `heldCpeRequests` and stay queued for the next session.
 * - H11: fault 8005 in answer to a CPE request (the Inform included) resends it, at most
 *   `maxRetryRequests` times; any other fault to a queued CPE request marks it rejected.
 * - V4: every response to an ACS request echoes its `cwmp:ID`.
 * - §1.14-9003: a request the CPE knows whose arguments could not be decoded
 *   (`INVALID_ACS_REQUEST`) is answered with its fault like any other request, and the session
 *   goes on; only a body that is no CWMP envelope at all (`BAD_ENVELOPE`) fails it.
 * - V6: `SessionTimeout` seconds without an ACS answer fail the session.
 * - V7: the Inform carries SupportedCWMPVersions; UseCWMPVersion in the InformResponse picks the
 *   version for the rest of the session; fault 8006 fails with "VersionIncompatible".
 * @module
 */
import { assign, setup } from "xstate";
import { mergeAfterSession } from "../rpc/after-session.js";
import type { Envelope } from "../soap/messages.js";
import {
  cpeRequestEnvelope,
  currentCpeRequest,
  failureOf,
  informEnvelope,
  initialContext,
  responseEnvelope,
  type SessionContext,
  sessionOutput,
  usedVersion,
} from "./session-context.js";
import {
  classifyPostError,
  classifyReply,
  isPostError,
  type SessionEvent,
} from "./session-events.js";
import type { ExchangeSettle } from "./session-exchange.js";
import type { HandleRpcOutput, PostOutput, SessionInput, SessionOutput } from "./session-io.js";

/** Events that always end the session, whatever the state waiting for the ACS. */
const failOnError = {
  TRANSPORT_ERROR: { target: "#session.failed", actions: "recordFailure" },
  BAD_ENVELOPE: { target: "#session.failed", actions: "recordFailure" },
  // A request where none may come (H1, H2); where one may, the states answer it instead.
  INVALID_ACS_REQUEST: { target: "#session.failed", actions: "recordFailure" },
} as const;

/** V4, §1.14-9003: a known ACS request with bad arguments is answered with its fault. */
const answerInvalidRequest = {
  target: "#session.acsRequests.responding",
  reenter: true,
  actions: "acceptInvalidRequest",
} as const;

/** The ACS stayed silent for SessionTimeout seconds (V6). */
const failOnTimeout = {
  SessionTimeout: { target: "#session.failed", actions: "recordTimeout" },
} as const;

/** The session actor, as an exchange's result reaches it. */
interface Self {
  readonly getSnapshot: () => { readonly status: string };
  readonly send: (event: SessionEvent) => void;
}

/** Sends a result to the session unless it has ended (a late answer after SessionTimeout). */
const deliver = (self: Self, event: SessionEvent): void => {
  if (self.getSnapshot().status === "active") self.send(event);
};

/** How a POST's result becomes an event (see `session-events.ts`). */
const settlePost = (self: Self): ExchangeSettle<PostOutput> => ({
  done: (output) => deliver(self, classifyReply(output.envelope)),
  fail: (error) =>
    deliver(
      self,
      isPostError(error) ? classifyPostError(error) : { type: "EXCHANGE_FAILED", error },
    ),
});

/** How the RPC registry's answer becomes an event. */
const settleRpc = (self: Self): ExchangeSettle<HandleRpcOutput> => ({
  done: (output) =>
    deliver(self, {
      type: "RPC_ANSWERED",
      response: output.response,
      afterSession: output.afterSession,
    }),
  fail: (error) => deliver(self, { type: "EXCHANGE_FAILED", error }),
});

const noExchange = (self: Self): void =>
  deliver(self, { type: "EXCHANGE_FAILED", error: new Error("the session input has no exchange") });

/** The error an `EXCHANGE_FAILED` event carries. */
const errorOf = (event: SessionEvent): unknown =>
  event.type === "EXCHANGE_FAILED" ? event.error : undefined;

/**
 * The session machine. Give it a {@link SessionInput} with an `exchange`; read a
 * {@link SessionOutput} when it stops.
 */
export const sessionMachine = setup({
  types: {
    context: {} as SessionContext,
    events: {} as SessionEvent,
    input: {} as SessionInput,
    output: {} as SessionOutput,
  },
  delays: {
    SessionTimeout: ({ context }) => context.sessionTimeout * 1000,
  },
  guards: {
    /** A CPE request is queued and the ACS does not hold requests (V5). */
    canSendCpeRequest: ({ context }) =>
      !context.holdRequests && context.next < context.queue.length,
    /** Fault 8005 and resends left (H11). */
    retryRequest: ({ context, event }) =>
      event.type === "ACS_FAULT" &&
      event.faultCode === 8005 &&
      context.retries < context.maxRetryRequests,
    /** UseCWMPVersion names a version the agent does not speak (V7). */
    unsupportedVersion: ({ context, event }) =>
      event.type === "INFORM_RESPONSE" &&
      usedVersion(event.header, context.supportedVersions) === null,
    /** The ACS's response answers the request sent (TransferComplete -> TransferCompleteResponse). */
    answersCpeRequest: ({ context, event }) =>
      event.type === "ACS_RESPONSE" &&
      event.response._tag === `${currentCpeRequest(context)?.request._tag}Response`,
  },
  actions: {
    /** POSTs `envelope` (or the empty POST); the ACS's answer comes back as an event. */
    post: ({ context, self }, params: { readonly envelope: Envelope | null }) => {
      if (context.exchange === undefined) noExchange(self);
      else
        context.exchange.post(
          {
            envelope: params.envelope,
            ...(context.deps === undefined ? {} : { deps: context.deps }),
          },
          settlePost(self),
        );
    },
    /** Runs the RPC registry on the ACS request; its answer comes back as `RPC_ANSWERED`. */
    handleRpc: ({ context, self }) => {
      if (context.exchange === undefined) noExchange(self);
      else
        context.exchange.handleRpc(
          {
            // acsRequests is only entered with an ACS request; the fallback only satisfies types.
            request: context.acsRequest?.request ?? { _tag: "GetRPCMethods" },
            header: context.acsRequest?.header ?? {},
            version: context.version,
            ...(context.deps === undefined ? {} : { deps: context.deps }),
          },
          settleRpc(self),
        );
    },
    countSent: assign({ sent: ({ context }) => context.sent + 1 }),
    countRetry: assign({ retries: ({ context }) => context.retries + 1 }),
    acceptInformResponse: assign(({ context, event }) => {
      if (event.type !== "INFORM_RESPONSE") return {};
      const version = usedVersion(event.header, context.supportedVersions) ?? context.version;
      return {
        informDelivered: true,
        version,
        retries: 0,
        holdRequests: event.header.holdRequests === true,
        sessionTimeout: event.header.sessionTimeout ?? context.sessionTimeout,
      };
    }),
    deliverCpeRequest: assign(({ context, event }) => {
      const sent = currentCpeRequest(context);
      if (event.type !== "ACS_RESPONSE" || sent === undefined) return {};
      return {
        next: context.next + 1,
        retries: 0,
        holdRequests: event.header.holdRequests === true,
        delivered: [...context.delivered, sent.id],
        cpeResponses: { ...context.cpeResponses, [sent.id]: event.response },
      };
    }),
    rejectCpeRequest: assign(({ context, event }) => {
      const sent = currentCpeRequest(context);
      if (event.type !== "ACS_FAULT" || sent === undefined) return {};
      return {
        next: context.next + 1,
        retries: 0,
        holdRequests: event.header.holdRequests === true,
        rejected: [
          ...context.rejected,
          { id: sent.id, faultCode: event.faultCode, faultString: event.faultString },
        ],
      };
    }),
    acceptAcsRequest: assign(({ event }) =>
      event.type === "ACS_REQUEST"
        ? {
            acsRequest: { header: event.header, request: event.request },
            holdRequests: event.header.holdRequests === true,
          }
        : {},
    ),
    // The request could not be decoded: its fault stands in for it and is the answer.
    acceptInvalidRequest: assign(({ event }) =>
      event.type === "INVALID_ACS_REQUEST"
        ? {
            acsRequest: { header: event.header, request: event.response },
            cpeResponse: event.response,
            holdRequests: event.header.holdRequests === true,
          }
        : {},
    ),
    acceptRpcAnswer: assign(({ context, event }) =>
      event.type === "RPC_ANSWERED"
        ? {
            cpeResponse: event.response,
            afterSession: mergeAfterSession(context.afterSession, event.afterSession),
          }
        : {},
    ),
    recordFailure: assign({ failure: ({ event }) => failureOf(event) }),
    recordVersionIncompatible: assign({
      failure: ({ event }) => ({
        reason: "VersionIncompatible" as const,
        detail: `UseCWMPVersion ${event.type === "INFORM_RESPONSE" ? event.header.useCwmpVersion : "?"} is not supported`,
      }),
    }),
    recordTimeout: assign({
      failure: ({ context }) => ({
        reason: "SessionTimeout" as const,
        detail: `no ACS message within ${context.sessionTimeout} s`,
      }),
    }),
    recordInternal: assign({
      failure: ({ event }) => ({
        reason: "Internal" as const,
        detail: String(errorOf(event)),
      }),
    }),
  },
}).createMachine({
  id: "session",
  context: ({ input }) => initialContext(input),
  initial: "inform",
  // A bug in the exchange (not a transport or decode error) fails the session as Internal.
  on: { EXCHANGE_FAILED: { target: "#session.failed", actions: "recordInternal" } },
  states: {
    /** H1: POST the Inform and wait for the InformResponse. */
    inform: {
      entry: [
        "countSent",
        { type: "post", params: ({ context }) => ({ envelope: informEnvelope(context) }) },
      ],
      after: failOnTimeout,
      on: {
        INFORM_RESPONSE: [
          { guard: "unsupportedVersion", target: "failed", actions: "recordVersionIncompatible" },
          { target: "cpeRequests", actions: "acceptInformResponse" },
        ],
        ACS_FAULT: [
          { guard: "retryRequest", target: "inform", reenter: true, actions: "countRetry" },
          { target: "failed", actions: "recordFailure" },
        ],
        ACS_RESPONSE: { target: "failed", actions: "recordFailure" },
        ACS_REQUEST: { target: "failed", actions: "recordFailure" },
        EMPTY_RESPONSE: { target: "failed", actions: "recordFailure" },
        ...failOnError,
      },
    },
    /** H2, V5: the CPE's own requests, one at a time, unless the ACS holds them. */
    cpeRequests: {
      initial: "next",
      states: {
        next: {
          always: [
            { guard: "canSendCpeRequest", target: "sending" },
            { target: "#session.emptyPost" },
          ],
        },
        sending: {
          entry: [
            "countSent",
            { type: "post", params: ({ context }) => ({ envelope: cpeRequestEnvelope(context) }) },
          ],
          after: failOnTimeout,
          on: {
            ACS_RESPONSE: [
              { guard: "answersCpeRequest", target: "next", actions: "deliverCpeRequest" },
              { target: "#session.failed", actions: "recordFailure" },
            ],
            ACS_FAULT: [
              { guard: "retryRequest", target: "sending", reenter: true, actions: "countRetry" },
              { target: "next", actions: "rejectCpeRequest" },
            ],
            INFORM_RESPONSE: { target: "#session.failed", actions: "recordFailure" },
            ACS_REQUEST: { target: "#session.failed", actions: "recordFailure" },
            EMPTY_RESPONSE: { target: "#session.failed", actions: "recordFailure" },
            ...failOnError,
          },
        },
      },
    },
    /** H2: the empty POST: the CPE has no more requests; the ACS's turn. */
    emptyPost: {
      entry: { type: "post", params: { envelope: null } },
      after: failOnTimeout,
      on: {
        // Entered only with nothing to send or requests held: the empty answer ends it (H3).
        EMPTY_RESPONSE: [{ guard: "canSendCpeRequest", target: "cpeRequests" }, { target: "done" }],
        ACS_REQUEST: { target: "acsRequests", actions: "acceptAcsRequest" },
        ACS_FAULT: { target: "failed", actions: "recordFailure" },
        ACS_RESPONSE: { target: "failed", actions: "recordFailure" },
        INFORM_RESPONSE: { target: "failed", actions: "recordFailure" },
        ...failOnError,
        INVALID_ACS_REQUEST: answerInvalidRequest,
      },
    },
    /** H2, V4: answer each ACS request in the next POST until the ACS's empty answer (H3). */
    acsRequests: {
      initial: "handling",
      states: {
        handling: {
          entry: "handleRpc",
          on: {
            RPC_ANSWERED: { target: "responding", actions: "acceptRpcAnswer" },
          },
        },
        responding: {
          entry: {
            type: "post",
            params: ({ context }) => ({ envelope: responseEnvelope(context) }),
          },
          after: failOnTimeout,
          on: {
            ACS_REQUEST: { target: "handling", actions: "acceptAcsRequest" },
            // H3, V5: requests the ACS no longer holds go out now; held ones wait.
            EMPTY_RESPONSE: [
              { guard: "canSendCpeRequest", target: "#session.cpeRequests" },
              { target: "#session.done" },
            ],
            ACS_FAULT: { target: "#session.failed", actions: "recordFailure" },
            ACS_RESPONSE: { target: "#session.failed", actions: "recordFailure" },
            INFORM_RESPONSE: { target: "#session.failed", actions: "recordFailure" },
            ...failOnError,
            INVALID_ACS_REQUEST: answerInvalidRequest,
          },
        },
      },
    },
    /** Both sides have nothing left (H3). */
    done: { type: "final" },
    /** The session ended abnormally (H10); `failure.reason` says why. */
    failed: { type: "final" },
  },
  output: ({ context }) => sessionOutput(context),
});

/** The session machine's type, for `.provide` and for the agent's `invoke`. */
export type SessionMachine = typeof sessionMachine;
