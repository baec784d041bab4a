import { Effect, Runtime } from "effect";
import { describe, expect, it } from "vitest";
import type { AcsConnection } from "../ports/acs-transport.js";
import { makeBuiltInRpcRegistry } from "../rpc/built-in-handlers.js";
import { encodeEnvelope } from "../soap/encode-envelope.js";
import { makeEffectExchange } from "./effect-exchange.js";
import { soapCodec } from "./session-codec.js";
import type { SessionDeps } from "./session-deps.js";
import type { ExchangeSettle, SessionExchange } from "./session-exchange.js";
import { acsEnvelope, fakeDataModel, httpError } from "./test-support/session-fixtures.js";

const depsWith = (post: AcsConnection["post"]): SessionDeps => ({
  connection: { url: Effect.succeed("http://127.0.0.1:7547/acs"), post },
  codec: soapCodec,
  registry: makeBuiltInRpcRegistry(),
  dataModel: fakeDataModel,
  runtime: Runtime.defaultRuntime,
});

/** Records what an exchange reports. */
const recorder = <A>() => {
  const reports: Array<{ readonly done?: A; readonly failed?: unknown }> = [];
  const settle: ExchangeSettle<A> = {
    done: (value) => reports.push({ done: value }),
    fail: (error) => reports.push({ failed: error }),
  };
  return { reports, settle };
};

/** One empty POST; resolves with what the exchange reported. */
const postOnce = (exchange: SessionExchange) =>
  new Promise<{ readonly done?: unknown; readonly failed?: unknown }>((resolve) =>
    exchange.post(
      { envelope: null },
      { done: (done) => resolve({ done }), fail: (failed) => resolve({ failed }) },
    ),
  );

describe("makeEffectExchange", () => {
  it("V4: an RPC handler that does not suspend answers within the call, once", () => {
    const exchange = makeEffectExchange(depsWith(() => Effect.never));
    const { reports, settle } = recorder<unknown>();
    exchange.handleRpc(
      { request: { _tag: "GetRPCMethods" }, header: { id: "a1" }, version: "1.4" },
      settle,
    );
    expect(reports).toHaveLength(1);
    expect(reports[0]?.done).toMatchObject({ response: { _tag: "GetRPCMethodsResponse" } });
  });

  it("H2: a POST's answer is decoded, and an empty body is the empty answer (H3)", async () => {
    const bodies = [
      encodeEnvelope(acsEnvelope({ _tag: "InformResponse", maxEnvelopes: 1 }, { id: "1" })),
      "",
    ];
    const exchange = makeEffectExchange(
      depsWith(() =>
        Effect.promise(async () => ({ status: 200, headers: {}, body: bodies.shift() ?? "" })),
      ),
    );
    expect(await postOnce(exchange)).toMatchObject({
      done: { envelope: { body: { _tag: "InformResponse" } } },
    });
    expect(await postOnce(exchange)).toEqual({ done: { envelope: null } });
  });
  it("H10: a transport error is reported as the failure, as it is", () => {
    const error = httpError(401);
    const exchange = makeEffectExchange(depsWith(() => Effect.fail(error)));
    const { reports, settle } = recorder<unknown>();
    exchange.post({ envelope: null }, settle);
    expect(reports).toEqual([{ failed: error }]);
  });

  it("V6: interrupt stops the POST still running and runs its finalizers", async () => {
    let finalized = false;
    const exchange = makeEffectExchange(
      depsWith(() => Effect.onInterrupt(Effect.never, () => Effect.sync(() => (finalized = true)))),
    );
    const { reports, settle } = recorder<unknown>();
    exchange.post({ envelope: null }, settle);
    expect(reports).toHaveLength(0);
    await Effect.runPromise(exchange.interrupt);
    expect(finalized).toBe(true);
    // Nothing is left running: a second interrupt has nothing to do.
    await Effect.runPromise(exchange.interrupt);
  });
});
