import { fc, test } from "@fast-check/vitest";
import { Clock, Effect, Fiber, TestClock, TestContext } from "effect";
import { describe, expect, it } from "vitest";
import { makeStunClient, RETRANSMIT_MS, type StunClient, type UdpBinding } from "./stun-client.js";
import {
  decodeStunMessage,
  encodeAddress,
  encodeStunMessage,
  StunAttr,
  StunType,
} from "./stun-message.js";
import { defaultStunSettings, keepAlivePeriodSeconds, type StunSettings } from "./stun-settings.js";

interface World {
  /** Times (test-clock ms) at which Binding Requests were sent. */
  readonly sentAt: number[];
  readonly bindings: UdpBinding[];
  answering: boolean;
  settings: StunSettings;
}

/** A fresh world: nothing sent or learned yet, the server answering unless told otherwise. */
const worldOf = (stun: StunSettings, answering = true): World => ({
  sentAt: [],
  bindings: [],
  answering,
  settings: stun,
});

/** A client on the test clock whose "server" answers at once, or never. */
const start = (world: World) =>
  Effect.gen(function* () {
    let client: StunClient | undefined;
    client = yield* makeStunClient({
      send: (bytes) =>
        Effect.gen(function* () {
          world.sentAt.push(yield* Clock.currentTimeMillis);
          const request = decodeStunMessage(bytes);
          if (!world.answering || client === undefined) return;
          yield* client.deliver(
            encodeStunMessage({
              type: StunType.BindingResponse,
              transactionId: request.transactionId,
              attributes: [
                {
                  type: StunAttr.MappedAddress,
                  value: encodeAddress(
                    { family: "IPv4", address: "192.0.2.10", port: 50000 },
                    request.transactionId,
                    false,
                  ),
                },
              ],
            }),
          );
        }),
      settings: Effect.sync(() => world.settings),
      acsHost: Effect.succeed("acs.example"),
      local: { address: "10.0.0.2", port: 7547 },
      isLocalAddress: (a) => a === "10.0.0.2",
      onBinding: (b) => Effect.sync(() => world.bindings.push(b)),
    });
    const fiber = yield* Effect.fork(client.run);
    // Let the first cycle run up to its first wait.
    yield* TestClock.adjust(0);
    return { client, fiber };
  });

const onTestClock = <A>(body: Effect.Effect<A>) =>
  Effect.runPromise(Effect.provide(body, TestContext.TestContext));

const settings = (min: number, max: number): StunSettings => ({
  ...defaultStunSettings,
  enable: true,
  serverAddress: "stun.example",
  minKeepAliveSeconds: min,
  maxKeepAliveSeconds: max,
});

describe("STUN keep-alive timing on a test clock (§1.8)", () => {
  it("§1.8: Binding Requests repeat every STUNMaximumKeepAlivePeriod (60 s here, minimum 20 s), none in between", () =>
    onTestClock(
      Effect.gen(function* () {
        const world = worldOf(settings(20, 60));
        const { fiber } = yield* start(world);
        expect(world.sentAt).toEqual([0]);
        expect(world.bindings.at(-1)).toEqual({
          address: "192.0.2.10:50000",
          natDetected: true,
          viaStun: true,
        });
        yield* TestClock.adjust("59 seconds");
        expect(world.sentAt).toEqual([0]);
        yield* TestClock.adjust("1 second");
        expect(world.sentAt).toEqual([0, 60_000]);
        yield* TestClock.adjust("120 seconds");
        expect(world.sentAt).toEqual([0, 60_000, 120_000, 180_000]);
        yield* Fiber.interrupt(fiber);
      }),
    ));

  it("§1.8: without a maximum (-1) the period is 30 s raised to STUNMinimumKeepAlivePeriod (45 s)", () =>
    onTestClock(
      Effect.gen(function* () {
        const world = worldOf(settings(45, -1));
        const { fiber } = yield* start(world);
        yield* TestClock.adjust("90 seconds");
        expect(world.sentAt).toEqual([0, 45_000, 90_000]);
        yield* Fiber.interrupt(fiber);
      }),
    ));

  it("§1.8: an unanswered request is retransmitted at 100 ms doubling to 1.6 s (9 sends), then retried after STUNMinimumKeepAlivePeriod", () =>
    onTestClock(
      Effect.gen(function* () {
        const world = worldOf(settings(30, 60), false);
        const { fiber } = yield* start(world);
        yield* TestClock.adjust("9500 millis");
        expect(world.sentAt).toEqual([0, 100, 300, 700, 1500, 3100, 4700, 6300, 7900]);
        expect(RETRANSMIT_MS.reduce((a, b) => a + b, 0)).toBe(9500);
        expect(world.bindings).toEqual([]);
        yield* TestClock.adjust("29999 millis");
        expect(world.sentAt).toHaveLength(9);
        yield* TestClock.adjust("1 milli");
        expect(world.sentAt.at(-1)).toBe(39_500);
        yield* Fiber.interrupt(fiber);
      }),
    ));

  it("§1.8: applySettings after a session sends a Binding Request only when the STUN settings changed", () =>
    onTestClock(
      Effect.gen(function* () {
        const world = worldOf(settings(20, 60));
        const { client, fiber } = yield* start(world);
        yield* TestClock.adjust("10 seconds");
        yield* client.applySettings;
        yield* TestClock.adjust(0);
        expect(world.sentAt).toEqual([0]);
        world.settings = { ...world.settings, maxKeepAliveSeconds: 25 };
        yield* client.applySettings;
        yield* TestClock.adjust(0);
        expect(world.sentAt).toEqual([0, 10_000]);
        yield* TestClock.adjust("25 seconds");
        expect(world.sentAt).toEqual([0, 10_000, 35_000]);
        yield* Fiber.interrupt(fiber);
      }),
    ));

  it("§1.8: refresh re-reads the settings at once: turning STUN off publishes the local address and stops the requests", () =>
    onTestClock(
      Effect.gen(function* () {
        const world = worldOf(settings(20, 60));
        const { client, fiber } = yield* start(world);
        world.settings = { ...world.settings, enable: false };
        yield* client.refresh;
        yield* TestClock.adjust(0);
        expect(world.bindings.at(-1)).toEqual({
          address: "10.0.0.2:7547",
          natDetected: false,
          viaStun: false,
        });
        yield* TestClock.adjust("600 seconds");
        expect(world.sentAt).toEqual([0]);
        yield* Fiber.interrupt(fiber);
      }),
    ));
});

test.prop([fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: -1, max: 100_000 })])(
  "§1.8: the keep-alive period is at least 1 s and STUNMinimumKeepAlivePeriod, and at most STUNMaximumKeepAlivePeriod whenever max ≥ max(min, 1)",
  (min, max) => {
    const p = keepAlivePeriodSeconds({ minKeepAliveSeconds: min, maxKeepAliveSeconds: max });
    expect(p).toBeGreaterThanOrEqual(Math.max(1, min));
    if (max >= Math.max(1, min)) expect(p).toBeLessThanOrEqual(max);
  },
);
