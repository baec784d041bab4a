/**
 * A process that saves a storm of documents into the LMDB fleet store, for the crash test:
 * every device saves its next document as soon as its previous save resolved, and each
 * resolved save is reported to the parent over IPC, which then SIGKILLs the process at a
 * moment of its choosing. A device resumes from the document it loads, so each start also
 * checks the load after a crash.
 *
 * Run with `node --conditions=@cpekit/source --import tsx fleet-store-storm-child.ts '<json>'`.
 * @module
 */
import { Effect, Option } from "effect";
import { type LmdbFleetStore, makeLmdbFleetStore } from "../lmdb-fleet-store.js";
import {
  type StormAck,
  type StormConfig,
  stormDeviceKey,
  stormDocument,
  stormSeqOf,
} from "./fleet-store-storm.js";

const config = JSON.parse(process.argv[2] ?? "{}") as StormConfig;
let saves = 0;

const device = (store: LmdbFleetStore, d: number) =>
  Effect.gen(function* () {
    const cpe = store.storeFor(stormDeviceKey(d));
    const loaded = yield* cpe.load;
    let seq = Option.match(loaded, {
      onNone: () => 0,
      onSome: (doc) => {
        const s = stormSeqOf(d, doc);
        if (s === undefined) throw new Error(`device ${d} loaded a mixed document`);
        return s;
      },
    });
    while (saves < config.maxSaves) {
      saves++;
      seq++;
      yield* cpe.save(stormDocument(d, seq));
      process.send?.({ device: d, seq } satisfies StormAck);
    }
  });

await Effect.runPromise(
  Effect.scoped(
    Effect.gen(function* () {
      const store = yield* makeLmdbFleetStore({ path: config.path });
      process.send?.({ device: -1, seq: 0 } satisfies StormAck);
      yield* Effect.forEach(
        Array.from({ length: config.devices }, (_, d) => d),
        (d) => device(store, d),
        { concurrency: "unbounded", discard: true },
      );
    }),
  ),
);
