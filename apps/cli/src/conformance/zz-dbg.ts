import { Effect, Option } from "effect";
import { makeDataModel, makeMemoryStore } from "@cpekit/core";
import { loadDevice2Schema, selectProfile } from "@cpekit/datamodel-tr181";
import { makeDeviceSideValues } from "./device-side-values.js";
const prog = Effect.gen(function* () {
  const side = yield* makeDeviceSideValues({ root: "Device.", connectionRequestUrl: "http://x", initial: { "Device.DeviceInfo.SoftwareVersion": "1", "Device.DeviceInfo.Description": "d" }, bootedAt: Date.now() });
  const store = yield* makeMemoryStore();
  const dm = yield* makeDataModel({ schema: selectProfile(loadDevice2Schema(), "cellular-module"), providers: [side.provider], store });
  yield* dm.setParameterAttributes([{ name: "Device.DeviceInfo.Description", notificationChange: true, notification: 2, accessListChange: false, accessList: [] }]);
  console.log("gpa", JSON.stringify(yield* dm.getParameterAttributes(["Device.DeviceInfo.Description", "Device.DeviceInfo.SoftwareVersion"])));
  const r = yield* dm.recordChanges([{ path: "Device.DeviceInfo.Description", value: "new" }]);
  console.log("pending", r, yield* dm.hasPendingActiveNotification);
  const r2 = yield* dm.recordChanges([{ path: "Device.DeviceInfo.SoftwareVersion", value: "2" }]);
  console.log("pending2", r2, yield* dm.hasPendingActiveNotification);
});
await Effect.runPromise(prog as any).catch((e) => console.log("ERR", e));
