import { Effect, TestClock, TestContext } from "effect";
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import type { Notification } from "../cwmp/structs.js";
import { type DataModel, makeDataModel } from "../datamodel/data-model.js";
import type { ParameterSchema } from "../datamodel/schema.js";
import { deviceFixtureWith, T } from "../datamodel/test-support/device-fixture.js";
import { makeMemoryStore } from "../ports/store.js";
import {
  DEFAULT_LIGHTWEIGHT_NOTIFICATION_PORT,
  type LightweightNotifier,
  MAX_LIGHTWEIGHT_DATAGRAM_BYTES,
  startLightweightNotifierFor,
} from "./lightweight-notifier.js";
import {
  type RecordingLightweightSink,
  recordingLightweightSink,
} from "./test-support/recording-lightweight-sink.js";

const MS = "Device.ManagementServer.";
const ms = (name: string, type: ParameterSchema["type"], more: Partial<ParameterSchema> = {}) =>
  ({ path: `${MS}${name}`, type, access: "readWrite", ...more }) satisfies ParameterSchema;

/** The fixture plus the Annex M parameters of TR-181 2.17 ManagementServer. */
const schema = deviceFixtureWith([
  ms("Username", "string"),
  ms("LightweightNotificationProtocolsSupported", "string", {
    access: "readOnly",
    list: {},
    enumerations: ["UDP"],
  }),
  ms("LightweightNotificationProtocolsUsed", "string", { list: {} }),
  ms("LightweightNotificationTriggerInterval", "unsignedInt"),
  ms("LightweightNotificationTriggerTime", "dateTime"),
  ms("UDPLightweightNotificationHost", "string", { sizes: [{ maxLength: 256 }] }),
  ms("UDPLightweightNotificationPort", "unsignedInt"),
]);

const ACS_URL = "http://acs.example.net:7547/cwmp";
const deviceId = { oui: "00AABB", productClass: "EC200U", serialNumber: "SN1" };
const udpOn = {
  [`${MS}LightweightNotificationProtocolsUsed`]: "UDP",
  [`${MS}Username`]: "cpe-1",
};

const parser = new XMLParser({
  removeNSPrefix: true,
  parseTagValue: false,
  isArray: (n) => n === "Param",
});
/** The (name, value) pairs of one sent datagram. */
const paramsOf = (payload: string): [string, string][] =>
  parser
    .parse(payload)
    .Notification.Param.map((p: { Name: string; Value: string }) => [p.Name, String(p.Value)]);

const notify = (name: string, notification: Notification) => ({
  name,
  notificationChange: true,
  notification,
  accessListChange: false,
  accessList: [],
});

/** A data model, a recording sink and a running notifier, in virtual time (from the epoch). */
const withNotifier = (
  values: Readonly<Record<string, string>>,
  body: (
    model: DataModel,
    notifier: LightweightNotifier,
    sink: RecordingLightweightSink,
  ) => Effect.Effect<void, unknown>,
) =>
  Effect.gen(function* () {
    const sink = recordingLightweightSink();
    const model = yield* makeDataModel({
      schema,
      store: yield* makeMemoryStore(),
      initial: { values, instances: {} },
      options: { lightweightNotification: true },
    });
    const notifier = yield* startLightweightNotifierFor(model, sink.service, {
      deviceId,
      managementServerPrefix: MS,
      acsUrl: Effect.succeed(ACS_URL),
      random: () => 0.5,
    });
    yield* body(model, notifier, sink);
  }).pipe(Effect.scoped, Effect.orDie, Effect.provide(TestContext.TestContext), Effect.runPromise);

/** Sets notifications, then changes the values on the device side and tells the notifier. */
const change = (
  model: DataModel,
  notifier: LightweightNotifier,
  changes: Readonly<Record<string, string>>,
) =>
  Effect.zipRight(
    model.recordChanges(Object.entries(changes).map(([path, value]) => ({ path, value }))),
    notifier.changed,
  );

const watch = (model: DataModel, attrs: readonly [string, Notification][]) =>
  model.setParameterAttributes(attrs.map(([n, v]) => notify(n, v)));

describe("UDP Lightweight Notifications (Annex M, V8)", () => {
  it("V8 an active lightweight change (5) sends at once to the ACS host on port 7547, pending passive ones (3) riding along", async () => {
    await withNotifier(udpOn, (model, notifier, sink) =>
      Effect.gen(function* () {
        yield* watch(model, [
          [`${T}Int`, 3],
          [`${T}Str`, 5],
        ]);
        yield* change(model, notifier, { [`${T}Int`]: "7" });
        expect(sink.sent).toEqual([]); // passive: waits
        yield* change(model, notifier, { [`${T}Str`]: "up" });
        expect(sink.sent).toHaveLength(1);
        expect(sink.sent[0]).toMatchObject({
          host: "acs.example.net",
          port: DEFAULT_LIGHTWEIGHT_NOTIFICATION_PORT,
        });
        const doc = parser.parse(sink.sent[0]?.payload ?? "").Notification;
        expect(doc).toMatchObject({
          UN: "cpe-1",
          OUI: "00AABB",
          ProductClass: "EC200U",
          SerialNumber: "SN1",
        });
        expect(paramsOf(sink.sent[0]?.payload ?? "").sort()).toEqual([
          [`${T}Int`, "7"],
          [`${T}Str`, "up"],
        ]);
        // Sent ones are not sent again.
        expect(yield* model.pendingLightweightNotifications).toEqual([]);
      }),
    );
  });

  it("V8 passive lightweight changes (3, 4) go at TriggerTime + k*TriggerInterval, not before", async () => {
    await withNotifier(
      {
        ...udpOn,
        [`${MS}LightweightNotificationTriggerInterval`]: "300",
        [`${MS}LightweightNotificationTriggerTime`]: "1970-01-01T00:00:00Z",
        [`${MS}UDPLightweightNotificationHost`]: "127.0.0.1",
        [`${MS}UDPLightweightNotificationPort`]: "17547",
      },
      (model, notifier, sink) =>
        Effect.gen(function* () {
          yield* watch(model, [
            [`${T}Int`, 3],
            [`${T}UInt`, 4],
          ]);
          yield* change(model, notifier, { [`${T}Int`]: "1", [`${T}UInt`]: "2" });
          yield* TestClock.adjust("299 seconds");
          expect(sink.sent).toEqual([]);
          yield* TestClock.adjust("1 second");
          expect(sink.sent.map((d) => [d.host, d.port])).toEqual([["127.0.0.1", 17547]]);
          expect(paramsOf(sink.sent[0]?.payload ?? "").sort()).toEqual([
            [`${T}Int`, "1"],
            [`${T}UInt`, "2"],
          ]);
          // Nothing pending: the next instant sends nothing.
          yield* TestClock.adjust("300 seconds");
          expect(sink.sent).toHaveLength(1);
        }),
    );
  });

  it("V8 TriggerInterval 0: a passive lightweight change waits for the next active one", async () => {
    await withNotifier(udpOn, (model, notifier, sink) =>
      Effect.gen(function* () {
        yield* watch(model, [
          [`${T}Int`, 3],
          [`${T}Str`, 6],
        ]);
        yield* change(model, notifier, { [`${T}Int`]: "1" });
        yield* TestClock.adjust("1 day");
        expect(sink.sent).toEqual([]);
        yield* change(model, notifier, { [`${T}Str`]: "x" });
        expect(sink.sent).toHaveLength(1);
      }),
    );
  });

  it("V8 values 4 and 6 are also reported in the next Inform (independently); 3 and 5 never are", async () => {
    await withNotifier(udpOn, (model, notifier, sink) =>
      Effect.gen(function* () {
        yield* watch(model, [
          [`${T}Int`, 3],
          [`${T}UInt`, 4],
          [`${T}Str`, 5],
          [`${T}Long`, 6],
        ]);
        yield* change(model, notifier, {
          [`${T}Int`]: "1",
          [`${T}UInt`]: "2",
          [`${T}Str`]: "s",
          [`${T}Long`]: "4",
        });
        expect(sink.sent).toHaveLength(1);
        expect(paramsOf(sink.sent[0]?.payload ?? "")).toHaveLength(4);
        // Sending the lightweight message leaves the Inform's passive/active ones alone.
        expect([...(yield* model.pendingNotifications)].sort()).toEqual([`${T}Long`, `${T}UInt`]);
        // Value 6 is passive for the Inform: it does not ask for a 4 VALUE CHANGE session.
        expect(yield* model.hasPendingActiveNotification).toBe(false);
        const inform = (yield* model.informParameters(["2 PERIODIC"])).map((p) => p.name);
        expect(inform).toEqual(expect.arrayContaining([`${T}UInt`, `${T}Long`]));
        expect(inform).not.toContain(`${T}Int`);
        expect(inform).not.toContain(`${T}Str`);
      }),
    );
  });

  it("V8 LightweightNotificationProtocolsUsed empty: nothing is sent and the changes are dropped", async () => {
    await withNotifier({}, (model, notifier, sink) =>
      Effect.gen(function* () {
        yield* watch(model, [[`${T}Str`, 5]]);
        yield* change(model, notifier, { [`${T}Str`]: "a" });
        expect(sink.sent).toEqual([]);
        expect(yield* model.pendingLightweightNotifications).toEqual([]);
      }),
    );
  });

  it("V8 a message that could not be sent stays pending and goes with the next trigger", async () => {
    await withNotifier(udpOn, (model, notifier, sink) =>
      Effect.gen(function* () {
        yield* watch(model, [
          [`${T}Int`, 5],
          [`${T}Str`, 5],
        ]);
        sink.failing = true;
        yield* change(model, notifier, { [`${T}Int`]: "9" });
        expect(sink.sent).toEqual([]);
        sink.failing = false;
        yield* change(model, notifier, { [`${T}Str`]: "b" });
        expect(paramsOf(sink.sent[0]?.payload ?? "").sort()).toEqual([
          [`${T}Int`, "9"],
          [`${T}Str`, "b"],
        ]);
      }),
    );
  });

  it("V8 a large report is split into datagrams under the size limit, every change sent once", async () => {
    await withNotifier(udpOn, (model, notifier, sink) =>
      Effect.gen(function* () {
        const names = ["Int", "UInt", "Long", "ULong", "Bool", "Time", "Str", "Dec"].map(
          (n) => `${T}${n}`,
        );
        yield* watch(
          model,
          names.map((n) => [n, 5] as const),
        );
        // A device-side value is taken as reported; long ones make a report over the limit.
        yield* change(model, notifier, Object.fromEntries(names.map((n) => [n, "x".repeat(300)])));
        expect(sink.sent.length).toBeGreaterThan(1);
        for (const d of sink.sent)
          expect(new TextEncoder().encode(d.payload).length).toBeLessThanOrEqual(
            MAX_LIGHTWEIGHT_DATAGRAM_BYTES,
          );
        expect(
          sink.sent
            .flatMap((d) => paramsOf(d.payload))
            .map(([n]) => n)
            .sort(),
        ).toEqual([...names].sort());
      }),
    );
  });

  it("V8 LightweightNotificationProtocolsSupported is published as UDP", async () => {
    await withNotifier({}, (model) =>
      Effect.gen(function* () {
        const [v] = yield* model.getParameterValues([
          `${MS}LightweightNotificationProtocolsSupported`,
        ]);
        expect(v?.value).toBe("UDP");
      }),
    );
  });
});
