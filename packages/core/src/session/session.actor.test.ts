/**
 * Layer (b): the session machine running as an actor, with a scripted fake ACS for `post`, a
 * real registry for `handleRpc` (its exchange), and a simulated clock for SessionTimeout.
 */
import { Effect } from "effect";
import { describe, expect, it } from "vitest";
import { createActor, SimulatedClock } from "xstate";
import { makeBuiltInRpcRegistry } from "../rpc/built-in-handlers.js";
import type { Envelope } from "../soap/messages.js";
import { sessionMachine } from "./session.machine.js";
import { promiseExchange } from "./session-exchange.js";
import type { SessionInput } from "./session-io.js";
import {
  acsEnvelope,
  acsFault,
  fakeDataModel,
  makeFakeAcs,
  sessionInput,
} from "./test-support/session-fixtures.js";

const informResponse = (header: Envelope["header"] = {}) =>
  acsEnvelope({ _tag: "InformResponse", maxEnvelopes: 1 }, header);

const startSession = (input: SessionInput = sessionInput()) => {
  const acs = makeFakeAcs();
  const clock = new SimulatedClock();
  const registry = makeBuiltInRpcRegistry();
  const exchange = promiseExchange({
    post: ({ envelope }) => acs.receive(envelope),
    handleRpc: ({ request, header, version }) =>
      Effect.runPromise(
        registry.dispatch(request, { dataModel: fakeDataModel, session: { version, header } }),
      ),
  });
  const actor = createActor(sessionMachine, { input: { ...input, exchange }, clock });
  actor.start();
  /** Waits (bounded) for the next POST or the session's end. */
  const next = async () => {
    for (let i = 0; i < 50 && !acs.waiting() && actor.getSnapshot().status === "active"; i++) {
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { acs, clock, actor, next };
};

describe("session machine as an actor", () => {
  it("H4, V6, V7: a 1.4 Inform carries MaxEnvelopes 1, SupportedCWMPVersions and SessionTimeout", async () => {
    const { acs, next, actor } = startSession();
    await next();
    const inform = acs.posted[0];
    expect(inform?.version).toBe("1.4");
    expect(inform?.header).toEqual({
      id: "1",
      supportedCwmpVersions: "1.0,1.1,1.2,1.3,1.4",
      sessionTimeout: 30,
    });
    expect(inform?.body).toMatchObject({ _tag: "Inform", maxEnvelopes: 1, retryCount: 0 });
    actor.stop();
  });

  it("V7: a 1.0-only agent sends neither SupportedCWMPVersions nor SessionTimeout", async () => {
    const { acs, next, actor } = startSession(sessionInput({ version: "1.0" }));
    await next();
    expect(acs.posted[0]?.header).toEqual({ id: "1" });
    expect(acs.posted[0]?.version).toBe("1.0");
    actor.stop();
  });

  it("V7: UseCWMPVersion 1.2 writes every later envelope in 1.2", async () => {
    const { acs, next, actor } = startSession();
    await next();
    acs.answer(informResponse({ useCwmpVersion: "1.2" }));
    await next();
    expect(acs.posted[1]).toMatchObject({ version: "1.2", body: { _tag: "TransferComplete" } });
    actor.stop();
  });

  it("H11: fault 8005 resends the same Inform under a new cwmp:ID", async () => {
    const { acs, next, actor } = startSession();
    await next();
    acs.answer(acsFault(8005));
    await next();
    expect(acs.posted).toHaveLength(2);
    expect(acs.posted[1]?.body).toEqual(acs.posted[0]?.body);
    expect(acs.posted[1]?.header.id).not.toBe(acs.posted[0]?.header.id);
    actor.stop();
  });

  it("V4, H2, H3: each ACS request is answered in the next POST with its cwmp:ID", async () => {
    const { acs, next, actor } = startSession(sessionInput({ cpeRequests: [] }));
    await next();
    acs.answer(informResponse());
    await next();
    expect(acs.posted[1]).toBeNull(); // the empty POST
    acs.answer(
      acsEnvelope(
        { _tag: "GetParameterValues", parameterNames: ["Device.DeviceInfo.SerialNumber"] },
        { id: "acs-42" },
      ),
    );
    await next();
    expect(acs.posted[2]).toMatchObject({
      header: { id: "acs-42" },
      body: { _tag: "GetParameterValuesResponse" },
    });
    acs.answer(acsEnvelope({ _tag: "Reboot", commandKey: "rb-1" }, { id: "acs-43" }));
    await next();
    expect(acs.posted[3]).toMatchObject({
      header: { id: "acs-43" },
      body: { _tag: "RebootResponse" },
    });
    acs.answer(null);
    await next();
    expect(actor.getSnapshot().output).toMatchObject({
      outcome: "done",
      afterSession: { reboot: "rb-1" },
    });
  });

  it("V6: the ACS's SessionTimeout replaces the default and is measured per message", async () => {
    const { acs, clock, next, actor } = startSession();
    await next();
    clock.increment(29_000);
    acs.answer(informResponse({ sessionTimeout: 60 }));
    await next();
    clock.increment(59_000);
    expect(actor.getSnapshot().value).toEqual({ cpeRequests: "sending" });
    clock.increment(1_000);
    expect(actor.getSnapshot().output).toMatchObject({
      outcome: "failed",
      reason: "SessionTimeout",
      informDelivered: true,
    });
  });

  it("V6: without an answer the session fails after the default 30 s", async () => {
    const { clock, next, actor } = startSession();
    await next();
    clock.increment(29_999);
    expect(actor.getSnapshot().value).toBe("inform");
    clock.increment(1);
    expect(actor.getSnapshot().output).toMatchObject({ reason: "SessionTimeout" });
  });
});
