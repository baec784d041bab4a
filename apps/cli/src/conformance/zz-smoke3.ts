import { Effect } from "effect";
import { makeTestAcs } from "@cpekit/acs-testkit";
import { cpekitDevice } from "./cpekit-device.js";
const t0 = Date.now();
const log = (m: string) => console.log(Date.now() - t0, m);
await Effect.runPromise(Effect.scoped(Effect.gen(function* () {
  const acs = yield* makeTestAcs({});
  log("acs " + acs.url);
  const d = yield* cpekitDevice.start({ acsUrl: acs.url, storePath: `/tmp/conf/y-${Date.now()}.json` });
  log("started");
  const inf = yield* acs.nextInform({ timeoutMs: 5000 });
  log("inform " + JSON.stringify(inf.inform.event));
  const s = yield* acs.nextSession({ timeoutMs: 5000 });
  log("session " + s.outcome + " " + s.violations);
  console.log(acs.transcript.toText());
  yield* d.stop;
  log("stopped");
})));
log("done");
