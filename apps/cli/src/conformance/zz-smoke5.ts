import { Effect } from "effect";
import { makeTestAcs } from "@cpekit/acs-testkit";
import { cpekitDevice } from "./cpekit-device.js";
const t0 = Date.now();
const log = (m: string) => console.log(Date.now() - t0, m);
await Effect.runPromise(Effect.scoped(Effect.gen(function* () {
  const acs = yield* makeTestAcs({});
  yield* Effect.addFinalizer(() => Effect.sync(() => log("acs finalizer reached")));
  const d = yield* Effect.acquireRelease(cpekitDevice.start({ acsUrl: acs.url, storePath: `/tmp/conf/y-${Date.now()}.json` }), (d) => Effect.zipRight(Effect.sync(() => log("stopping")), Effect.tap(Effect.interruptible(d.stop), () => log("stopped"))));
  const inf = yield* acs.nextInform({ timeoutMs: 5000 });
  const s = yield* acs.nextSession({ timeoutMs: 5000 });
  log("session " + s.outcome);
})));
log("done");
