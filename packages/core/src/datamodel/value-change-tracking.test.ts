// "Changes made by the ACS do not notify" is tagged [R] in §1.11 (A.3.2.4, to verify).
import { Effect, Fiber } from "effect";
import { describe, expect, it } from "vitest";
import type { Notification } from "../cwmp/structs.js";
import type { ParameterProvider } from "../ports/parameter-provider.js";
import { followProviderChanges } from "./data-model.js";
import type { DeviceContext } from "./device-context.js";
import { emptyDeviceState } from "./device-state.js";
import { T } from "./test-support/device-fixture.js";
import { withDevice } from "./test-support/test-device.js";
import { makePollNeeded } from "./value-change-tracking.js";

const RSSI1 = "Device.Cellular.Interface.1.RSSI";
const APN1 = "Device.Cellular.Interface.1.APN";
const attr = (name: string, notification: Notification) => ({
  name,
  notificationChange: true,
  notification,
  accessListChange: false,
  accessList: [],
});

describe("value-change notifications (§1.11)", () => {
  it("§1.11 passive (1) and active (2) changes found by a poll become pending", () =>
    withDevice(({ model, cellular }) =>
      Effect.gen(function* () {
        yield* model.setParameterAttributes([attr(RSSI1, 1), attr(APN1, 2)]);
        expect(yield* model.poll).toEqual([]);
        cellular.values.set(RSSI1, "-60");
        expect(yield* model.poll).toEqual([RSSI1]);
        expect(yield* model.hasPendingActiveNotification).toBe(false);
        cellular.values.set(APN1, "other");
        cellular.values.set("Device.Cellular.Interface.2.RSSI", "-10"); // notification off
        expect(yield* model.poll).toEqual([APN1]);
        expect(yield* model.hasPendingActiveNotification).toBe(true);
        expect(yield* model.pendingNotifications).toEqual([RSSI1, APN1]);
      }),
    ));

  it("§1.11 changes made by the ACS through SetParameterValues do not notify", () =>
    withDevice(({ model, cellular }) =>
      Effect.gen(function* () {
        yield* model.setParameterAttributes([attr(APN1, 2), attr(`${T}Str`, 2)]);
        yield* model.setParameterValues(
          [
            { name: APN1, value: "acs", type: "string" },
            { name: `${T}Str`, value: "acs", type: "string" },
          ],
          "",
        );
        expect(yield* model.poll).toEqual([]);
        // The device echoing the ACS's value is no change either.
        yield* model.recordChanges([{ path: APN1, value: "acs" }]);
        expect(yield* model.pendingNotifications).toEqual([]);
        expect(cellular.values.get(APN1)).toBe("acs");
      }),
    ));

  it("§1.11 changes pushed by a provider or recorded locally notify; store-owned values are written", () =>
    withDevice(({ model, cellular }) =>
      Effect.gen(function* () {
        yield* model.setParameterAttributes([attr(RSSI1, 1), attr(`${T}Str`, 2)]);
        const follower = yield* Effect.fork(followProviderChanges(model, [cellular]));
        yield* cellular.push([{ path: RSSI1, value: "-50" }]);
        for (let i = 0; i < 50 && (yield* model.pendingNotifications).length === 0; i++)
          yield* Effect.sleep("2 millis");
        yield* Fiber.interrupt(follower);
        expect(yield* model.pendingNotifications).toEqual([RSSI1]);
        expect(yield* model.recordChanges([{ path: `${T}Str`, value: "local" }])).toEqual([
          `${T}Str`,
        ]);
        expect((yield* model.getParameterValues([`${T}Str`]))[0]?.value).toBe("local");
        expect(yield* model.hasPendingActiveNotification).toBe(true);
      }),
    ));

  it("§1.11 forceDefaultEnabled parameters notify actively without any SetParameterAttributes", () =>
    withDevice(({ model }) =>
      Effect.gen(function* () {
        const url = "Device.ManagementServer.ConnectionRequestURL";
        yield* model.recordChanges([{ path: url, value: "http://10.0.0.1:7547/" }]);
        expect(yield* model.pendingNotifications).toEqual([url]);
        expect(yield* model.hasPendingActiveNotification).toBe(true);
      }),
    ));

  it("§1.5 the Inform ParameterList: forced inform + pending notifications, deduplicated, then cleared", () =>
    withDevice(({ model, cellular }) =>
      Effect.gen(function* () {
        yield* model.setParameterValues(
          [{ name: "Device.DeviceInfo.ProvisioningCode", value: "p1", type: "string" }],
          "key",
        );
        yield* model.setParameterAttributes([attr(RSSI1, 1)]);
        yield* model.poll;
        cellular.values.set(RSSI1, "-1");
        yield* model.poll;
        yield* model.recordChanges([{ path: "Device.DeviceInfo.SoftwareVersion", value: "2.0" }]);
        const list = yield* model.informParameters(["4 VALUE CHANGE"]);
        expect(list.map((p) => `${p.name}=${p.value}`)).toEqual([
          "Device.RootDataModelVersion=2.17",
          "Device.DeviceInfo.HardwareVersion=hw1",
          "Device.DeviceInfo.SoftwareVersion=2.0",
          "Device.DeviceInfo.ProvisioningCode=p1",
          "Device.ManagementServer.ParameterKey=key",
          "Device.ManagementServer.ConnectionRequestURL=",
          `${RSSI1}=-1`,
        ]);
        yield* model.clearPendingNotifications();
        expect(yield* model.pendingNotifications).toEqual([]);
        expect((yield* model.informParameters()).map((p) => p.name)).not.toContain(RSSI1);
      }),
    ));

  it("§1.5 enabled InformParameter rows add their parameters (partial paths, wildcards, EventList; empty EventList = all but 4 VALUE CHANGE)", () =>
    withDevice(({ model }) =>
      Effect.gen(function* () {
        const row = "Device.ManagementServer.InformParameter.";
        for (let i = 0; i < 3; i++) yield* model.addObject(row, "");
        const set = (n: number, p: string, value: string) => ({
          name: `${row}${n}.${p}`,
          value,
          type: "string",
        });
        yield* model.setParameterValues(
          [
            set(1, "Enable", "true"),
            set(1, "ParameterName", "Device.Cellular.Interface.*.RSSI"),
            set(2, "Enable", "1"),
            set(2, "ParameterName", `${T}Port.`),
            set(2, "EventList", "1 BOOT, 2 PERIODIC"),
            set(3, "Enable", "false"),
            set(3, "ParameterName", `${T}Int`),
          ],
          "",
        );
        const names = (events: string[]) =>
          Effect.map(model.informParameters(events), (l) => l.map((p) => p.name).slice(6));
        expect(yield* names(["2 PERIODIC"])).toEqual([
          "Device.Cellular.Interface.1.RSSI",
          "Device.Cellular.Interface.2.RSSI",
          `${T}Port.1.Name`,
          `${T}Port.1.Status`,
          `${T}Port.2.Name`,
          `${T}Port.2.Status`,
        ]);
        expect(yield* names(["6 CONNECTION REQUEST"])).toEqual([
          "Device.Cellular.Interface.1.RSSI",
          "Device.Cellular.Interface.2.RSSI",
        ]);
        // An empty EventList means every event but 4 VALUE CHANGE (TR-181 EventList).
        expect(yield* names(["4 VALUE CHANGE"])).toEqual([]);
        expect(yield* names(["4 VALUE CHANGE", "6 CONNECTION REQUEST"])).toEqual([
          "Device.Cellular.Interface.1.RSSI",
          "Device.Cellular.Interface.2.RSSI",
        ]);
      }),
    ));

  it("§1.11 a parameter whose notification is turned on after polls with nothing watched is polled from then on, and no longer once turned off", () =>
    withDevice(({ model, cellular }) =>
      Effect.gen(function* () {
        const gets = () => cellular.calls.filter((c) => c.method === "get").length;
        expect(yield* model.poll).toEqual([]);
        expect(gets()).toBe(0);
        yield* model.setParameterAttributes([attr(RSSI1, 1)]);
        const before = gets();
        expect(yield* model.poll).toEqual([]); // the baseline
        expect(gets()).toBe(before + 1);
        cellular.values.set(RSSI1, "-55");
        expect(yield* model.poll).toEqual([RSSI1]);
        yield* model.setParameterAttributes([attr(RSSI1, 0)]);
        const off = gets();
        cellular.values.set(RSSI1, "-40");
        expect(yield* model.poll).toEqual([]);
        expect(gets()).toBe(off);
      }),
    ));
});

describe("§1.11 makePollNeeded: false only when no provider-owned parameter can be watched", () => {
  const provider = (paths: readonly string[]): ParameterProvider => ({
    name: "p",
    paths,
    get: () => Effect.die("not read"),
    set: () => Effect.die("not written"),
  });
  const ctx = (providers: readonly ParameterProvider[], attributes: [string, number][] = []) => {
    const state = emptyDeviceState();
    for (const [k, v] of attributes) state.attributes.set(k, v);
    return {
      compiled: { activeByDefault: ["Device.DeviceInfo.SoftwareVersion"] },
      providers,
      state,
    } as unknown as DeviceContext;
  };

  it("is false without providers, whatever the attributes", () => {
    expect(makePollNeeded(ctx([], [[RSSI1, 2]]))()).toBe(false);
  });

  it("is true whenever a provider owns a parameter active by default", () => {
    expect(makePollNeeded(ctx([provider(["Device.DeviceInfo."])]))()).toBe(true);
    expect(makePollNeeded(ctx([provider(["Device.DeviceInfo.SoftwareVersion"])]))()).toBe(true);
  });

  it("follows the attributes: true while one has notification on (Subscriber alone does not count)", () => {
    const c = ctx([provider(["Device.Cellular."])], [[RSSI1, 8]]);
    const needed = makePollNeeded(c);
    expect(needed()).toBe(false);
    c.state.attributes.set(APN1, 8 | 4);
    expect(needed()).toBe(true);
    c.state.attributes.delete(APN1);
    expect(needed()).toBe(false);
  });
});
