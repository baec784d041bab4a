/**
 * Layer (c): model-based tests. `xstate/graph` walks the session machine (one shortest path to
 * every state reached by every transition, failure edges included) and each path is replayed
 * against a running session whose exchange posts to a scripted fake ACS and runs a
 * real registry, and whose timers run on a simulated clock.
 */
import { Effect } from "effect";
import { describe, expect, it } from "vitest";
import { createActor, SimulatedClock } from "xstate";
import { createTestModel } from "xstate/graph";
import { cwmpFault } from "../cwmp/fault.js";
import { noAfterSession } from "../rpc/after-session.js";
import { makeBuiltInRpcRegistry } from "../rpc/built-in-handlers.js";
import { DecodeError } from "../soap/decode-error.js";
import type { Envelope } from "../soap/messages.js";
import { faultMessageOf } from "../soap/rpc/fault.js";
import { sessionMachine } from "./session.machine.js";
import type { SessionContext } from "./session-context.js";
import type { SessionEvent } from "./session-events.js";
import { promiseExchange } from "./session-exchange.js";
import type { HandleRpcInput } from "./session-io.js";
import { sessionModelMachine } from "./test-support/model-machine.js";
import {
  acsEnvelope,
  acsFault,
  fakeDataModel,
  httpError,
  makeFakeAcs,
  sessionInput,
} from "./test-support/session-fixtures.js";

/** One queued TransferComplete; one resend after 8005 keeps the graph small. */
const input = sessionInput({ maxRetryRequests: 1 });

const gpvRequest = {
  _tag: "GetParameterValues",
  parameterNames: ["Device.DeviceInfo.SerialNumber"],
} as const;

const invalidArguments = cwmpFault(9003, "Invalid arguments: no ParameterNames");
const invalidArgumentsFault = faultMessageOf(invalidArguments);

/** The events the traversal may send (events it needs but are not listed are sent bare). */
const modelEvents: SessionEvent[] = [
  { type: "INFORM_RESPONSE", header: {} },
  { type: "INFORM_RESPONSE", header: { holdRequests: true } },
  { type: "INFORM_RESPONSE", header: { useCwmpVersion: "2.0" } },
  { type: "ACS_RESPONSE", header: {}, response: { _tag: "TransferCompleteResponse" } },
  { type: "ACS_FAULT", header: {}, faultCode: 8005, faultString: "fault 8005" },
  { type: "ACS_FAULT", header: {}, faultCode: 8006, faultString: "fault 8006" },
  { type: "ACS_REQUEST", header: { id: "acs-1" }, request: gpvRequest },
  { type: "ACS_REQUEST", header: { id: "acs-1", holdRequests: true }, request: gpvRequest },
  { type: "EMPTY_RESPONSE" },
  { type: "TRANSPORT_ERROR", reason: "Unauthorized", detail: "HTTP 401" },
  { type: "BAD_ENVELOPE", detail: "cannot decode" },
  // V4 §1.14-9003: a known request with bad arguments, answered with its fault.
  { type: "INVALID_ACS_REQUEST", header: { id: "acs-bad" }, response: invalidArgumentsFault },
  {
    type: "RPC_ANSWERED",
    response: {
      _tag: "GetParameterValuesResponse",
      parameterList: [{ name: "Device.DeviceInfo.SerialNumber", value: "SN0001", type: "string" }],
    },
    afterSession: noAfterSession,
  },
];

/** The protocol-relevant part of a model state. */
const abstract = (state: { readonly value: unknown; readonly context: SessionContext }) => {
  const c = state.context;
  return [
    state.value,
    c.informDelivered,
    c.holdRequests,
    c.delivered,
    c.rejected.length,
    c.retries,
    c.failure?.reason,
  ];
};

/** A short name for a model event. */
const label = (event: { readonly type: string }): string => {
  const e = event as SessionEvent;
  switch (e.type) {
    case "INFORM_RESPONSE":
      return e.header.holdRequests
        ? "INFORM_RESPONSE(HoldRequests)"
        : e.header.useCwmpVersion
          ? `INFORM_RESPONSE(UseCWMPVersion ${e.header.useCwmpVersion})`
          : "INFORM_RESPONSE";
    case "ACS_FAULT":
      return `ACS_FAULT(${e.faultCode})`;
    case "ACS_REQUEST":
      return `ACS_REQUEST(${e.request._tag}${e.header.holdRequests ? ", HoldRequests" : ""})`;
    case "ACS_RESPONSE":
      return `ACS_RESPONSE(${e.response._tag})`;
    case "TRANSPORT_ERROR":
      return `TRANSPORT_ERROR(${e.reason})`;
    default:
      return event.type;
  }
};

/** The path's description: the state reached (and why it failed) and the events on the way. */
const describePath = (path: {
  readonly state: { readonly value: unknown; readonly context: SessionContext };
  readonly steps: ReadonlyArray<{ readonly event: { readonly type: string } }>;
}): string => {
  const reason = path.state.context.failure?.reason;
  const target = `${JSON.stringify(path.state.value)}${reason ? ` (${reason})` : ""}`;
  const events = path.steps
    .map((step) => step.event)
    .filter((event) => event.type !== "xstate.init")
    .map(label);
  return `reaches ${target} via ${events.join(" -> ") || "start"}`;
};

/** What the fake ACS sends for each modelled event. */
const acsAnswer = (event: SessionEvent): Envelope | null => {
  switch (event.type) {
    case "INFORM_RESPONSE":
      return acsEnvelope({ _tag: "InformResponse", maxEnvelopes: 1 }, event.header);
    case "ACS_RESPONSE":
      return acsEnvelope(event.response, event.header);
    case "ACS_FAULT":
      return acsFault(event.faultCode, event.header);
    case "ACS_REQUEST":
      return acsEnvelope(event.request, event.header);
    default:
      return null;
  }
};

/** A running session wired to a fake ACS, a gated registry and a simulated clock. */
const makeSystem = () => {
  const acs = makeFakeAcs();
  const clock = new SimulatedClock();
  const registry = makeBuiltInRpcRegistry();
  // The registry's answer is held until the model's RPC_ANSWERED step releases it.
  let release: (() => void) | undefined;
  const gate = () =>
    new Promise<void>((resolve) => {
      release = resolve;
    });
  const exchange = promiseExchange({
    post: ({ envelope }) => acs.receive(envelope),
    handleRpc: (request: HandleRpcInput) =>
      Effect.runPromise(
        Effect.zipRight(
          Effect.promise(gate),
          registry.dispatch(request.request, {
            dataModel: fakeDataModel,
            session: { version: request.version, header: request.header },
          }),
        ),
      ),
  });
  const actor = createActor(sessionMachine, { input: { ...input, exchange }, clock });
  actor.start();
  /** Waits (bounded) until the session waits on the ACS or the registry, or has stopped. */
  const settle = async () => {
    for (let i = 0; i < 50; i++) {
      if (acs.waiting() || release !== undefined || actor.getSnapshot().status !== "active") return;
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  const releaseRpc = () => {
    const r = release;
    release = undefined;
    r?.();
  };
  return { acs, clock, actor, settle, releaseRpc };
};

type System = ReturnType<typeof makeSystem>;

/** Checks shared by every state: the CPE never sends a request before the InformResponse (H1). */
const checkOrdering = (system: System, context: SessionContext) => {
  const first = system.acs.posted[0];
  expect(first?.body._tag).toBe("Inform");
  const lastInform = system.acs.posted.findLastIndex((e) => e?.body._tag === "Inform");
  const firstOther = system.acs.posted.findIndex((e) => e !== null && e.body._tag !== "Inform");
  if (firstOther >= 0) expect(firstOther).toBeGreaterThan(lastInform);
  if (!context.informDelivered) expect(lastInform).toBe(system.acs.posted.length - 1);
};

/** The running session is where the model is, and has kept the ordering rules. */
const same = (
  system: System,
  state: { readonly value: unknown; readonly context: SessionContext },
) => {
  expect(system.actor.getSnapshot().value).toEqual(state.value);
  checkOrdering(system, state.context);
};

describe("session machine model (H1, H2, H3, H11, V4-V7)", () => {
  const model = createTestModel(sessionModelMachine, {
    input,
    events: modelEvents,
    // One path per edge of the abstract graph: the state as the protocol sees it, the event and
    // where it came from (counters such as the cwmp:ID number are left out).
    serializeState: (state, event, previous) =>
      JSON.stringify([abstract(state), event && label(event), previous && abstract(previous)]),
    // A failing exchange is a bug, not a protocol event (its Internal failure is tested apart).
    filterEvents: (_, event) => event.type !== "EXCHANGE_FAILED",
  });
  const paths = model.getShortestPaths();

  it("walks every state, the failure edges included", () => {
    const reached = new Set(
      paths
        .flatMap((p) => [p.state, ...p.steps.map((step) => step.state)])
        .map((s) => JSON.stringify(s.value)),
    );
    for (const value of [
      "inform",
      "emptyPost",
      "done",
      "failed",
      { cpeRequests: "sending" },
      { acsRequests: "handling" },
      { acsRequests: "responding" },
    ]) {
      expect(reached).toContain(JSON.stringify(value));
    }
    const reasons = new Set(paths.map((p) => p.state.context.failure?.reason));
    for (const reason of [
      "UnexpectedMessage",
      "VersionIncompatible",
      "AcsFault",
      "Unauthorized",
      "BadEnvelope",
      "SessionTimeout",
    ]) {
      expect(reasons).toContain(reason);
    }
  });

  for (const path of paths) {
    it(describePath(path), async () => {
      const system = makeSystem();
      await system.settle();
      await path.test({
        states: {
          inform: (state) => same(system, state),
          "acsRequests.handling": (state) => same(system, state),
          "acsRequests.responding": (state) => {
            same(system, state);
            // V4: the answer echoes the request's cwmp:ID.
            const last = system.acs.posted.at(-1);
            expect(last?.header.id).toBe(state.context.acsRequest?.header.id);
            if (last?.header.id === "acs-bad") expect(last?.body).toEqual(invalidArgumentsFault);
            else expect(last?.body._tag).toBe("GetParameterValuesResponse");
          },
          "cpeRequests.sending": (state) => {
            same(system, state);
            expect(system.acs.posted.at(-1)?.body._tag).toBe("TransferComplete");
          },
          emptyPost: (state) => {
            same(system, state);
            expect(system.acs.posted.at(-1)).toBeNull();
          },
          failed: (state) => {
            same(system, state);
            expect(system.actor.getSnapshot().output).toMatchObject({
              outcome: "failed",
              reason: state.context.failure?.reason,
            });
          },
          done: (state) => {
            same(system, state);
            const held = state.context.queue
              .slice(state.context.next)
              .map((r: { readonly id: string }) => r.id);
            expect(system.actor.getSnapshot().output).toMatchObject({
              outcome: "done",
              deliveredCpeRequests: state.context.delivered,
              heldCpeRequests: held,
            });
            // H3 V5: requests are left unsent only under the ACS's HoldRequests.
            if (held.length > 0) expect(state.context.holdRequests).toBe(true);
          },
        },
        events: Object.fromEntries([
          ...modelEvents
            .filter((e) => e.type !== "RPC_ANSWERED")
            .map((e) => [
              e.type,
              async ({ event }: { event: SessionEvent }) => {
                if (event.type === "TRANSPORT_ERROR") system.acs.fail(httpError(401));
                else if (event.type === "INVALID_ACS_REQUEST")
                  system.acs.fail(
                    new DecodeError({
                      reason: "MissingElement",
                      element: "Envelope/Body/GetParameterValues/ParameterNames",
                      detail: "missing element ParameterNames",
                      request: {
                        method: "GetParameterValues",
                        header: event.header,
                        fault: invalidArguments,
                      },
                    }),
                  );
                else if (event.type === "BAD_ENVELOPE")
                  system.acs.fail(
                    new DecodeError({ reason: "Malformed", element: "Envelope", detail: "x" }),
                  );
                else system.acs.answer(acsAnswer(event));
                await system.settle();
              },
            ]),
          [
            "RPC_ANSWERED",
            async () => {
              system.releaseRpc();
              await system.settle();
            },
          ],
          [
            "SESSION_TIMEOUT",
            async () => {
              system.clock.increment(system.actor.getSnapshot().context.sessionTimeout * 1000);
              await system.settle();
            },
          ],
        ]),
      });
      system.actor.stop();
    });
  }
});
