/**
 * The session machine: one CWMP session, as a TR-069 engineer draws it
 * (`inform -> cpeRequests -> emptyPost -> acsRequests -> done`, `failed` from every state).
 *
 * It does no I/O: it invokes the `post` and `handleRpc` actors, supplied with
 * `sessionMachine.provide({ actors: { post, handleRpc } })`: once for all sessions in
 * `run-session.ts`, which read each session's dependencies from `input.deps` (passed on to
 * every invoke's input), or by tests with fakes. Its input,
 * output and actor contracts are in `session-io.ts`; its events in `session-events.ts`.
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
 * - V6: `SessionTimeout` seconds without an ACS answer fail the session.
 * - V7: the Inform carries SupportedCWMPVersions; UseCWMPVersion in the InformResponse picks the
 *   version for the rest of the session; fault 8006 fails with "VersionIncompatible".
 * @module
 */
import {
  assign,
  type DoneActorEvent,
  type ErrorActorEvent,
  fromPromise,
  raise,
  setup,
} from "xstate";
import { mergeAfterSession } from "../rpc/after-session.js";
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
import type {
  HandleRpcInput,
  HandleRpcOutput,
  PostInput,
  PostOutput,
  SessionInput,
  SessionOutput,
} from "./session-io.js";

/** Events that always end the session, whatever the state waiting for the ACS. */
const failOnError = {
  TRANSPORT_ERROR: { target: "#session.failed", actions: "recordFailure" },
  BAD_ENVELOPE: { target: "#session.failed", actions: "recordFailure" },
} as const;

/** The ACS stayed silent for SessionTimeout seconds (V6). */
const failOnTimeout = {
  SessionTimeout: { target: "#session.failed", actions: "recordTimeout" },
} as const;

/** How the `post` actor's end becomes an event (see `session-events.ts`). */
const postHandlers = {
  onDone: { actions: "raiseReply" },
  onError: [
    { guard: "isPostError", actions: "raisePostError" },
    { target: "#session.failed", actions: "recordInternal" },
  ],
} as const;

/**
 * Setup's actions and guards are typed with the machine's own events; the invoke's done and
 * error events reach them too, and these read their payload.
 */
const doneOutput = (event: unknown): PostOutput => (event as DoneActorEvent<PostOutput>).output;
const errorOf = (event: unknown): unknown => (event as ErrorActorEvent).error;

/**
 * The session machine. Provide `post` and `handleRpc`; give it a {@link SessionInput}; read a
 * {@link SessionOutput} when it stops.
 */
export const sessionMachine = setup({
  types: {
    context: {} as SessionContext,
    events: {} as SessionEvent,
    input: {} as SessionInput,
    output: {} as SessionOutput,
  },
  actors: {
    /** POSTs an envelope (or the empty POST) and decodes the ACS's answer. */
    post: fromPromise<PostOutput, PostInput>(() =>
      Promise.reject(new Error("the session's post actor was not provided")),
    ),
    /** Runs the RPC registry on one ACS request. */
    handleRpc: fromPromise<HandleRpcOutput, HandleRpcInput>(() =>
      Promise.reject(new Error("the session's handleRpc actor was not provided")),
    ),
  },
  delays: {
    SessionTimeout: ({ context }) => context.sessionTimeout * 1000,
  },
  guards: {
    /** The `post` actor failed with a transport or decode error, not a bug. */
    isPostError: ({ event }) => isPostError(errorOf(event)),
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
    raiseReply: raise(({ event }) => classifyReply(doneOutput(event).envelope)),
    raisePostError: raise(({ event }) => classifyPostError(errorOf(event))),
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
  states: {
    /** H1: POST the Inform and wait for the InformResponse. */
    inform: {
      entry: "countSent",
      invoke: {
        src: "post",
        input: ({ context }) => ({ envelope: informEnvelope(context), deps: context.deps }),
        ...postHandlers,
      },
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
          entry: "countSent",
          invoke: {
            src: "post",
            input: ({ context }) => ({ envelope: cpeRequestEnvelope(context), deps: context.deps }),
            ...postHandlers,
          },
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
      invoke: {
        src: "post",
        input: ({ context }) => ({ envelope: null, deps: context.deps }),
        ...postHandlers,
      },
      after: failOnTimeout,
      on: {
        // Entered only with nothing to send or requests held: the empty answer ends it (H3).
        EMPTY_RESPONSE: [{ guard: "canSendCpeRequest", target: "cpeRequests" }, { target: "done" }],
        ACS_REQUEST: { target: "acsRequests", actions: "acceptAcsRequest" },
        ACS_FAULT: { target: "failed", actions: "recordFailure" },
        ACS_RESPONSE: { target: "failed", actions: "recordFailure" },
        INFORM_RESPONSE: { target: "failed", actions: "recordFailure" },
        ...failOnError,
      },
    },
    /** H2, V4: answer each ACS request in the next POST until the ACS's empty answer (H3). */
    acsRequests: {
      initial: "handling",
      states: {
        handling: {
          invoke: {
            src: "handleRpc",
            // acsRequests is only entered with an ACS request; the fallback only satisfies types.
            input: ({ context }) => ({
              request: context.acsRequest?.request ?? { _tag: "GetRPCMethods" },
              header: context.acsRequest?.header ?? {},
              version: context.version,
              deps: context.deps,
            }),
            onDone: {
              actions: raise(({ event }) => ({
                type: "RPC_ANSWERED" as const,
                response: event.output.response,
                afterSession: event.output.afterSession,
              })),
            },
            onError: { target: "#session.failed", actions: "recordInternal" },
          },
          on: {
            RPC_ANSWERED: { target: "responding", actions: "acceptRpcAnswer" },
          },
        },
        responding: {
          invoke: {
            src: "post",
            input: ({ context }) => ({ envelope: responseEnvelope(context), deps: context.deps }),
            ...postHandlers,
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
