import { Effect } from "effect";
import { makeTestAcs } from "@cpekit/acs-testkit";
import { SessionDriver } from "@cpekit/acs-testkit";
import { cpekitDevice } from "./cpekit-device.js";
const t0 = Date.now();
const log = (m: string) => console.log(Date.now() - t0, m);
await Effect.runPromise(Effect.scoped(Effect.gen(function* () {
  const acs = yield* makeTestAcs({});
  const d = yield* cpekitDevice.start({ acsUrl: acs.url, storePath: `/tmp/conf/y-${Date.now()}.json` });
  const ctx = { acs, device: d, storePath: "" };
  yield* SessionDriver.settled(ctx);
  const { answers } = yield* SessionDriver.drive(ctx, [
    { _tag: "GetParameterValues", parameterNames: ["Device.ManagementServer.DefaultActiveNotificationThrottle", "Device.DeviceInfo.Description"] },
    { _tag: "SetParameterAttributes", parameterList: [{ name: "Device.DeviceInfo.Description", notificationChange: true, notification: 2, accessListChange: false, accessList: [] }] },
  ]);
  log(JSON.stringify(answers));
  yield* d.changeValue!("Device.DeviceInfo.Description", "zzz");
  log("changed");
  const r = yield* Effect.either(acs.nextInform({ timeoutMs: 4000 }));
  log(JSON.stringify(r._tag === "Right" ? r.right.inform.event : r.left.reason));
  yield* d.stop;
})));
