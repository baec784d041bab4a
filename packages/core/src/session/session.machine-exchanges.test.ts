/**
 * What the session machine hands its exchange and what it makes of the exchange's failures:
 * the envelope, the session's dependencies and version in every call, and an Internal failure
 * (with the error as its detail) when an exchange breaks or is missing (H10).
 */
import { describe, expect, it } from "vitest";
import { createActor } from "xstate";
import type { Envelope } from "../soap/messages.js";
import { sessionMachine } from "./session.machine.js";
import type { SessionDeps } from "./session-deps.js";
import type { ExchangeSettle, SessionExchange } from "./session-exchange.js";
import type {
  HandleRpcInput,
  HandleRpcOutput,
  PostInput,
  PostOutput,
  SessionInput,
  SessionOutput,
} from "./session-io.js";
import { acsEnvelope, sessionInput } from "./test-support/session-fixtures.js";

/** An exchange that records every call and leaves it to the test to settle. */
const recordingExchange = () => {
  const posts: Array<{ input: PostInput; settle: ExchangeSettle<PostOutput> }> = [];
  const rpcs: Array<{ input: HandleRpcInput; settle: ExchangeSettle<HandleRpcOutput> }> = [];
  const exchange: SessionExchange = {
    post: (input, settle) => posts.push({ input, settle }),
    handleRpc: (input, settle) => rpcs.push({ input, settle }),
  };
  return { exchange, posts, rpcs };
};

const startSession = (input: SessionInput) => {
  const recorded = recordingExchange();
  const actor = createActor(sessionMachine, { input: { ...input, exchange: recorded.exchange } });
  const output = new Promise<SessionOutput | undefined>((resolve) =>
    actor.subscribe({ complete: () => resolve(actor.getSnapshot().output) }),
  );
  actor.start();
  /** Answers the latest POST. */
  const answer = (envelope: Envelope | null) => recorded.posts.at(-1)!.settle.done({ envelope });
  return { ...recorded, actor, output, answer };
};

/** Stands in for the live dependencies: the machine only passes them on. */
const deps = { marker: "the session's deps" } as unknown as SessionDeps;

const gpv = acsEnvelope(
  { _tag: "GetParameterValues", parameterNames: ["Device.DeviceInfo.SerialNumber"] },
  { id: "acs-1" },
);

describe("session machine exchanges", () => {
  it("H1 H2 every POST carries its envelope and the session's deps", async () => {
    const s = startSession(sessionInput({ deps }));
    expect(s.posts[0]?.input).toMatchObject({ deps, envelope: { body: { _tag: "Inform" } } });
    s.answer(acsEnvelope({ _tag: "InformResponse", maxEnvelopes: 1 }));
    await Promise.resolve();
    expect(s.posts[1]?.input).toMatchObject({
      deps,
      envelope: { body: { _tag: "TransferComplete" } },
    });
    s.actor.stop();
  });

  it("H2 without deps in the input, no call carries a deps key", async () => {
    const s = startSession(sessionInput({ cpeRequests: [] }));
    expect(s.posts[0]?.input).not.toHaveProperty("deps");
    s.answer(acsEnvelope({ _tag: "InformResponse", maxEnvelopes: 1 }));
    await Promise.resolve();
    expect(s.posts[1]?.input).toEqual({ envelope: null });
    s.answer(gpv);
    await Promise.resolve();
    expect(s.rpcs[0]?.input).not.toHaveProperty("deps");
    s.actor.stop();
  });

  it("V4 V7 the RPC registry gets the ACS request, its header, the session's version and deps", async () => {
    const s = startSession(sessionInput({ cpeRequests: [], deps }));
    s.answer(acsEnvelope({ _tag: "InformResponse", maxEnvelopes: 1 }, { useCwmpVersion: "1.2" }));
    await Promise.resolve();
    s.answer(gpv);
    await Promise.resolve();
    expect(s.rpcs[0]?.input).toEqual({
      request: gpv.body,
      header: { id: "acs-1" },
      version: "1.2",
      deps,
    });
    s.actor.stop();
  });

  it("H10 an RPC registry that breaks fails the session as Internal, the error as detail", async () => {
    const s = startSession(sessionInput({ cpeRequests: [] }));
    s.answer(acsEnvelope({ _tag: "InformResponse", maxEnvelopes: 1 }));
    await Promise.resolve();
    s.answer(gpv);
    await Promise.resolve();
    s.rpcs[0]!.settle.fail(new Error("handler defect"));
    // Checked at once: a failure that never reaches the machine must not hang the test.
    expect(s.actor.getSnapshot().output).toMatchObject({
      outcome: "failed",
      reason: "Internal",
      detail: "Error: handler defect",
    });
  });

  it("H10 a session without an exchange fails at once as Internal, saying so", () => {
    const actor = createActor(sessionMachine, { input: sessionInput() });
    actor.start();
    expect(actor.getSnapshot().output).toMatchObject({
      outcome: "failed",
      reason: "Internal",
      detail: "Error: the session input has no exchange",
      informDelivered: false,
    });
  });
});
