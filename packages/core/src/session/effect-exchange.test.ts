import { Effect, Either, Logger, LogLevel, Runtime } from "effect";
import { describe, expect, it } from "vitest";
import type { AcsConnection, AcsPostSettle } from "../ports/acs-transport.js";
import { makeBuiltInRpcRegistry } from "../rpc/built-in-handlers.js";
import { decodeEnvelope } from "../soap/decode-envelope.js";
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

  describe("with the connection's plain POST (postNow)", () => {
    /** A connection whose `post` must not be used; `postNow` hands each call to `answer`. */
    const plainDeps = (
      answer: (body: string | null, settle: AcsPostSettle) => void,
      codec: SessionDeps["codec"] = soapCodec,
    ): SessionDeps => ({
      ...depsWith(() => Effect.die("the Effect post was used")),
      connection: {
        url: Effect.succeed("http://127.0.0.1:7547/acs"),
        post: () => Effect.die("the Effect post was used"),
        postNow: answer,
      },
      codec,
    });
    const informResponse = encodeEnvelope(
      acsEnvelope({ _tag: "InformResponse", maxEnvelopes: 1 }, { id: "1" }),
    );

    it("H2/H3: the envelope is encoded and POSTed, the answer decoded; an empty body (or only blanks) is the empty answer", async () => {
      const sent: Array<string | null> = [];
      const bodies = [informResponse, " \r\n"];
      const exchange = makeEffectExchange(
        plainDeps((body, settle) => {
          sent.push(body);
          setImmediate(() => settle.done({ status: 200, headers: {}, body: bodies.shift() ?? "" }));
        }),
      );
      const inform = acsEnvelope({ _tag: "GetRPCMethods" }, { id: "c1" });
      const first = await new Promise((resolve) =>
        exchange.post({ envelope: inform }, { done: resolve, fail: resolve }),
      );
      expect(first).toMatchObject({ envelope: { body: { _tag: "InformResponse" } } });
      expect(sent[0]).toBe(encodeEnvelope(inform));
      expect(await postOnce(exchange)).toEqual({ done: { envelope: null } });
      expect(sent[1]).toBeNull();
    });

    it("H10: a transport error is reported as the failure, as it is", async () => {
      const error = httpError(503, 30);
      const exchange = makeEffectExchange(plainDeps((_, settle) => settle.fail(error)));
      expect(await postOnce(exchange)).toEqual({ failed: error });
    });

    it("a body that is not a CWMP envelope fails with the same DecodeError as the Effect path", async () => {
      const body = "<html>not soap</html>";
      const viaEffect = await postOnce(
        makeEffectExchange(depsWith(() => Effect.succeed({ status: 200, headers: {}, body }))),
      );
      const plain = await postOnce(
        makeEffectExchange(
          plainDeps((_, settle) => settle.done({ status: 200, headers: {}, body })),
        ),
      );
      expect(plain.failed).toBeDefined();
      expect(plain).toEqual(viaEffect);
    });

    it("a decode's tolerance warnings are logged through Effect's logger, the body decoded once, and the answer is its envelope", async () => {
      const logs: unknown[] = [];
      const runtime = Effect.runSync(
        Effect.runtime<never>().pipe(
          Effect.provide(
            Logger.replace(
              Logger.defaultLogger,
              Logger.make(({ message }) => logs.push(message)),
            ),
          ),
          Logger.withMinimumLogLevel(LogLevel.Debug),
        ),
      );
      let decodes = 0;
      const exchange = makeEffectExchange({
        ...plainDeps(
          (_, settle) => settle.done({ status: 200, headers: {}, body: informResponse }),
          {
            ...soapCodec,
            decodeNow: (body) => {
              decodes++;
              return Either.map(decodeEnvelope(body), (r) => ({
                ...r,
                warnings: ["/Envelope: a tolerance"],
              }));
            },
            decode: () => Effect.die("the Effect decode was used"),
          },
        ),
        runtime,
      });
      expect(await postOnce(exchange)).toMatchObject({
        done: { envelope: { body: { _tag: "InformResponse" } } },
      });
      expect(decodes).toBe(1);
      expect(logs.flat()).toEqual(["CWMP decode warnings", "/Envelope: a tolerance"]);
    });

    it("V6: after interrupt, the answer of the plain POST still under way is dropped", async () => {
      let answer: AcsPostSettle | undefined;
      const exchange = makeEffectExchange(
        plainDeps((_, settle) => {
          answer = settle;
        }),
      );
      const { reports, settle } = recorder<unknown>();
      exchange.post({ envelope: null }, settle);
      await Effect.runPromise(exchange.interrupt);
      answer?.done({ status: 200, headers: {}, body: "" });
      answer?.fail(httpError(500));
      expect(answer).toBeDefined();
      expect(reports).toEqual([]);
    });

    it("an envelope the codec cannot encode is reported as the failure, not thrown", () => {
      const boom = new Error("cannot encode");
      const exchange = makeEffectExchange(
        plainDeps(() => expect.unreachable("nothing is sent"), {
          ...soapCodec,
          encode: () => {
            throw boom;
          },
        }),
      );
      const { reports, settle } = recorder<unknown>();
      exchange.post({ envelope: acsEnvelope({ _tag: "GetRPCMethods" }) }, settle);
      expect(reports).toEqual([{ failed: boom }]);
    });
  });
});
