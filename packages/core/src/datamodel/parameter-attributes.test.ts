import { Effect } from "effect";
import { describe, expect, it } from "vitest";
import type { Notification, SetParameterAttributesStruct } from "../cwmp/structs.js";
import { T } from "./test-support/device-fixture.js";
import { faultOf, withDevice } from "./test-support/test-device.js";

const notify = (name: string, notification: Notification): SetParameterAttributesStruct => ({
  name,
  notificationChange: true,
  notification,
  accessListChange: false,
  accessList: [],
});

describe("Get/SetParameterAttributes (§1.11)", () => {
  it("§1.11 defaults: 0, forceEnabled and forceDefaultEnabled report 2", () =>
    withDevice(({ model }) =>
      Effect.map(
        model.getParameterAttributes([
          `${T}Int`,
          "Device.DeviceInfo.SoftwareVersion",
          "Device.ManagementServer.ConnectionRequestURL",
        ]),
        (r) => expect(r.map((a) => a.notification)).toEqual([0, 2, 2]),
      ),
    ));

  it("§1.11 notification and AccessList set on a partial path apply to every parameter below", () =>
    withDevice(({ model }) =>
      Effect.gen(function* () {
        yield* model.addObject(`${T}Rule.`, "");
        yield* model.setParameterAttributes([
          { ...notify(`${T}Rule.1.`, 1), accessListChange: true, accessList: ["Subscriber"] },
        ]);
        const r = yield* model.getParameterAttributes([`${T}Rule.`]);
        expect(r).toHaveLength(3);
        for (const a of r) expect(a).toMatchObject({ notification: 1, accessList: ["Subscriber"] });
        expect((yield* model.getParameterAttributes([`${T}Int`]))[0]?.notification).toBe(0);
      }),
    ));

  it("§1.11 forceDefaultEnabled can be turned off; forceEnabled cannot (9009)", () =>
    withDevice(({ model }) =>
      Effect.gen(function* () {
        yield* model.setParameterAttributes([
          notify("Device.ManagementServer.ConnectionRequestURL", 0),
        ]);
        const f = yield* faultOf(
          model.setParameterAttributes([notify("Device.DeviceInfo.SoftwareVersion", 1)]),
        );
        expect(f.code).toBe(9009);
        const r = yield* model.getParameterAttributes([
          "Device.ManagementServer.ConnectionRequestURL",
          "Device.DeviceInfo.SoftwareVersion",
        ]);
        expect(r.map((a) => a.notification)).toEqual([0, 2]);
      }),
    ));

  it("§1.11 canDeny parameters refuse active notification with 9009 and nothing changes", () =>
    withDevice(({ model }) =>
      Effect.gen(function* () {
        const f = yield* faultOf(
          model.setParameterAttributes([
            notify(`${T}Int`, 2),
            notify("Device.DeviceInfo.UpTime", 2),
          ]),
        );
        expect(f.code).toBe(9009);
        expect((yield* model.getParameterAttributes([`${T}Int`]))[0]?.notification).toBe(0);
        yield* model.setParameterAttributes([notify("Device.DeviceInfo.UpTime", 1)]);
        expect(
          (yield* model.getParameterAttributes(["Device.DeviceInfo.UpTime"]))[0]?.notification,
        ).toBe(1);
      }),
    ));

  it("§1.11 through a partial path, canDeny and forceEnabled parameters keep their notification", () =>
    withDevice(({ model }) =>
      Effect.gen(function* () {
        yield* model.setParameterAttributes([notify("Device.DeviceInfo.", 2)]);
        const r = yield* model.getParameterAttributes(["Device.DeviceInfo."]);
        expect(Object.fromEntries(r.map((a) => [a.name, a.notification]))).toEqual({
          "Device.DeviceInfo.Manufacturer": 2,
          "Device.DeviceInfo.HardwareVersion": 2,
          "Device.DeviceInfo.SoftwareVersion": 2,
          "Device.DeviceInfo.ProvisioningCode": 2,
          "Device.DeviceInfo.UpTime": 0,
        });
      }),
    ));

  it("§1.11 notification 3-6 is 9003 unless lightweight notification is on", () =>
    Promise.all([
      withDevice(({ model }) =>
        Effect.map(faultOf(model.setParameterAttributes([notify(`${T}Int`, 3)])), (f) =>
          expect(f.code).toBe(9003),
        ),
      ),
      withDevice(
        ({ model }) =>
          Effect.gen(function* () {
            yield* model.setParameterAttributes([notify(`${T}Int`, 4)]);
            expect((yield* model.getParameterAttributes([`${T}Int`]))[0]?.notification).toBe(4);
          }),
        { options: { lightweightNotification: true } },
      ),
    ]));

  it("§1.11 an AccessList entry other than Subscriber is 9007; an unknown name is 9005", () =>
    withDevice(({ model }) =>
      Effect.gen(function* () {
        const f = yield* faultOf(
          model.setParameterAttributes([
            { ...notify(`${T}Int`, 1), accessListChange: true, accessList: ["Admin"] },
          ]),
        );
        expect(f.code).toBe(9007);
        expect(
          (yield* faultOf(model.setParameterAttributes([notify("Device.Nope", 1)]))).code,
        ).toBe(9005);
        expect((yield* faultOf(model.getParameterAttributes(["Device.Nope."]))).code).toBe(9005);
      }),
    ));
});
