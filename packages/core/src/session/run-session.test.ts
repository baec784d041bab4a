/**
 * The adapter end to end: the session machine over a fake `AcsTransport` (a scripted ACS that
 * speaks XML through the real SOAP codec), the built-in registry and a simulated clock.
 */
import { Deferred, Effect, Either, Fiber, Layer, Ref, Schedule } from "effect";
import { describe, expect, it } from "vitest";
import { createActor, SimulatedClock, toPromise } from "xstate";
import {
  type AcsConnection,
  type AcsResponse,
  AcsTransport,
  TransportError,
} from "../ports/acs-transport.js";
import { makeBuiltInRpcRegistry } from "../rpc/built-in-handlers.js";
import { decodeEnvelope } from "../soap/decode-envelope.js";
import { encodeEnvelope } from "../soap/encode-envelope.js";
import type { Envelope } from "../soap/messages.js";
import { runSession } from "./run-session.js";
import { sessionMachine } from "./session.machine.js";
import {
  acsEnvelope,
  fakeDataModel,
  httpError,
  sessionInput,
} from "./test-support/session-fixtures.js";

/** What the scripted ACS answers to the n-th POST (by decoded envelope, `null` = empty POST). */
type Script = (
  posted: Envelope | null,
  index: number,
) => Effect.Effect<AcsResponse, TransportError>;

const ok = (envelope: Envelope | null): Effect.Effect<AcsResponse> =>
  Effect.succeed({
    status: envelope === null ? 204 : 200,
    headers: {},
    body: envelope === null ? "" : encodeEnvelope(envelope),
  });

/** A transport whose connection runs `script`; records posts and whether the scope closed it. */
const makeTransport = (script: Script) =>
  Effect.gen(function* () {
    const posted = yield* Ref.make<ReadonlyArray<Envelope | null>>([]);
    const closed = yield* Ref.make(false);
    const connection: AcsConnection = {
      url: Effect.succeed("http://127.0.0.1:7547/acs"),
      post: (body) =>
        Effect.gen(function* () {
          const envelope = body === null ? null : Either.getOrThrow(decodeEnvelope(body)).envelope;
          const all = yield* Ref.updateAndGet(posted, (p) => [...p, envelope]);
          return yield* script(envelope, all.length - 1);
        }),
    };
    const layer = Layer.succeed(AcsTransport, {
      open: () => Effect.acquireRelease(Effect.succeed(connection), () => Ref.set(closed, true)),
    });
    return { posted, closed, layer };
  });

const options = {
  endpoint: { url: "http://127.0.0.1:7547/acs" },
  registry: makeBuiltInRpcRegistry(),
  dataModel: fakeDataModel,
};

describe("runSession", () => {
  it("H1, H2, H3, V4: a whole session through the SOAP codec; the connection is closed after", async () => {
    const script: Script = (posted, index) => {
      switch (index) {
        case 0:
          return ok(
            acsEnvelope({ _tag: "InformResponse", maxEnvelopes: 1 }, { id: posted?.header.id }),
          );
        case 1:
          return ok(acsEnvelope({ _tag: "TransferCompleteResponse" }, { id: posted?.header.id }));
        case 2:
          return ok(
            acsEnvelope(
              { _tag: "GetParameterValues", parameterNames: ["Device.DeviceInfo.SerialNumber"] },
              { id: "acs-7" },
            ),
          );
        case 3:
          return ok(acsEnvelope({ _tag: "Reboot", commandKey: "rb-1" }, { id: "acs-8" }));
        default:
          return ok(null);
      }
    };
    const result = await Effect.runPromise(
      Effect.gen(function* () {
        const t = yield* makeTransport(script);
        const output = yield* Effect.provide(
          runSession({ ...options, input: sessionInput() }),
          t.layer,
        );
        return { output, posted: yield* Ref.get(t.posted), closed: yield* Ref.get(t.closed) };
      }),
    );
    expect(result.output).toMatchObject({
      outcome: "done",
      informDelivered: true,
      deliveredCpeRequests: ["tc-1"],
      afterSession: { reboot: "rb-1" },
    });
    expect(result.posted.map((e) => e?.body._tag ?? "empty POST")).toEqual([
      "Inform",
      "TransferComplete",
      "empty POST",
      "GetParameterValuesResponse",
      "RebootResponse",
    ]);
    expect(result.posted[3]?.header.id).toBe("acs-7");
    expect(result.posted[4]?.header.id).toBe("acs-8");
    expect(result.closed).toBe(true);
  });

  it("H10: HTTP 401 to the Inform fails the session with Unauthorized", async () => {
    const output = await Effect.runPromise(
      Effect.flatMap(
        makeTransport(() => Effect.fail(httpError(401))),
        (t) => Effect.provide(runSession({ ...options, input: sessionInput() }), t.layer),
      ),
    );
    expect(output).toMatchObject({
      outcome: "failed",
      reason: "Unauthorized",
      informDelivered: false,
    });
  });

  it("H10: a 503 with Retry-After reports the wait to the agent", async () => {
    const output = await Effect.runPromise(
      Effect.flatMap(
        makeTransport(() => Effect.fail(httpError(503, 120))),
        (t) => Effect.provide(runSession({ ...options, input: sessionInput() }), t.layer),
      ),
    );
    expect(output).toMatchObject({ outcome: "failed", reason: "HttpStatus", retryAfter: 120 });
  });

  it("H10: an ACS body that is not a CWMP envelope fails with BadEnvelope", async () => {
    const output = await Effect.runPromise(
      Effect.flatMap(
        makeTransport(() =>
          Effect.succeed({ status: 200, headers: {}, body: "<html>oops</html>" }),
        ),
        (t) => Effect.provide(runSession({ ...options, input: sessionInput() }), t.layer),
      ),
    );
    expect(output).toMatchObject({ outcome: "failed", reason: "BadEnvelope" });
  });

  it("H10: a connection that cannot be opened is a failed session, not an error", async () => {
    const layer = Layer.succeed(AcsTransport, {
      open: () =>
        Effect.fail(new TransportError({ reason: "InvalidConfig", detail: "ftp://x is not http" })),
    });
    const output = await Effect.runPromise(
      Effect.provide(runSession({ ...options, input: sessionInput() }), layer),
    );
    expect(output).toMatchObject({
      outcome: "failed",
      reason: "InvalidConfig",
      informDelivered: false,
    });
  });

  it("V6: SessionTimeout interrupts the hanging POST and closes the connection", async () => {
    const clock = new SimulatedClock();
    const result = await Effect.runPromise(
      Effect.gen(function* () {
        const posting = yield* Deferred.make<void>();
        const interrupted = yield* Deferred.make<void>();
        const t = yield* makeTransport(() =>
          Deferred.succeed(posting, undefined).pipe(
            Effect.zipRight(Effect.never),
            Effect.onInterrupt(() => Deferred.succeed(interrupted, undefined)),
          ),
        );
        const fiber = yield* Effect.fork(
          Effect.provide(runSession({ ...options, input: sessionInput(), clock }), t.layer),
        );
        yield* Deferred.await(posting);
        clock.increment(30_000);
        const output = yield* Fiber.join(fiber).pipe(Effect.timeout("2 seconds"));
        yield* Deferred.await(interrupted).pipe(Effect.timeout("1 second"));
        return { output, closed: yield* Ref.get(t.closed) };
      }),
    );
    expect(result.output).toMatchObject({ outcome: "failed", reason: "SessionTimeout" });
    expect(result.closed).toBe(true);
  });

  it("interrupting the session stops the machine, interrupts the POST and closes the connection", async () => {
    const result = await Effect.runPromise(
      Effect.gen(function* () {
        const posting = yield* Deferred.make<void>();
        const interrupted = yield* Deferred.make<void>();
        const t = yield* makeTransport(() =>
          Deferred.succeed(posting, undefined).pipe(
            Effect.zipRight(Effect.never),
            Effect.onInterrupt(() => Deferred.succeed(interrupted, undefined)),
          ),
        );
        const fiber = yield* Effect.fork(
          Effect.provide(runSession({ ...options, input: sessionInput() }), t.layer),
        );
        yield* Deferred.await(posting);
        yield* Fiber.interrupt(fiber);
        yield* Deferred.await(interrupted).pipe(Effect.timeout("1 second"));
        return yield* Ref.get(t.closed);
      }),
    );
    expect(result).toBe(true);
  });

  it("H2: concurrent sessions through the one provided machine each post on their own connection", async () => {
    const withSerial = (serialNumber: string) => {
      const base = sessionInput();
      return {
        ...base,
        inform: { ...base.inform, deviceId: { ...base.inform.deviceId, serialNumber } },
      };
    };
    const result = await Effect.runPromise(
      Effect.gen(function* () {
        const gate = yield* Deferred.make<void>();
        const script: Script = (posted, index) =>
          index === 0
            ? Effect.zipRight(
                Deferred.await(gate),
                ok(
                  acsEnvelope(
                    { _tag: "InformResponse", maxEnvelopes: 1 },
                    { id: posted?.header.id },
                  ),
                ),
              )
            : index === 1
              ? ok(acsEnvelope({ _tag: "TransferCompleteResponse" }, { id: posted?.header.id }))
              : ok(null);
        const serials = ["SN-A", "SN-B", "SN-C"];
        const transports = yield* Effect.all(serials.map(() => makeTransport(script)));
        const fiber = yield* Effect.fork(
          Effect.all(
            transports.map((t, i) =>
              Effect.provide(
                runSession({ ...options, input: withSerial(serials[i] ?? "") }),
                t.layer,
              ),
            ),
            { concurrency: "unbounded" },
          ),
        );
        // Every session waits on its Inform before any is answered: all run at once.
        for (const t of transports) {
          yield* Effect.repeat(Ref.get(t.posted), {
            until: (p) => p.length > 0,
            schedule: Schedule.spaced("1 millis"),
            times: 1000,
          });
        }
        yield* Deferred.succeed(gate, undefined);
        const outputs = yield* Fiber.join(fiber).pipe(Effect.timeout("2 seconds"));
        const informed = yield* Effect.all(
          transports.map((t) =>
            Effect.map(Ref.get(t.posted), (p) =>
              p.map((e) =>
                e?.body._tag === "Inform"
                  ? e.body.deviceId.serialNumber
                  : (e?.body._tag ?? "empty"),
              ),
            ),
          ),
        );
        return { outcomes: outputs.map((o) => o.outcome), informed };
      }),
    );
    expect(result.outcomes).toEqual(["done", "done", "done"]);
    expect(result.informed).toEqual([
      ["SN-A", "TransferComplete", "empty"],
      ["SN-B", "TransferComplete", "empty"],
      ["SN-C", "TransferComplete", "empty"],
    ]);
  });
});

describe("sessionMachine without an exchange", () => {
  it("H10: an input without an exchange ends the session failed with reason Internal, not an exception", async () => {
    const actor = createActor(sessionMachine, { input: sessionInput() });
    actor.start();
    const output = await toPromise(actor);
    expect(output).toMatchObject({ outcome: "failed", reason: "Internal", informDelivered: false });
    expect(output.detail).toContain("no exchange");
  });
});
