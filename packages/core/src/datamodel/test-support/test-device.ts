/**
 * Builds a fixture device for tests: a memory store, a memory provider serving
 * `Device.Cellular.` with two interfaces, and the data model over the fixture schema.
 * @module
 */
import { Effect } from "effect";
import { type CwmpFault, cwmpFault } from "../../cwmp/fault.js";
import type { ParameterProvider } from "../../ports/parameter-provider.js";
import { makeMemoryStore, type StoreDocument, type StoreService } from "../../ports/store.js";
import { compileSchema } from "../compiled-schema.js";
import type { DataModel } from "../data-model.js";
import { makeDataModel } from "../data-model.js";
import type { DataModelError } from "../data-model-error.js";
import type { DataModelOptions } from "../device-context.js";
import { CELLULAR, deviceFixture, fixtureInitial } from "./device-fixture.js";
import { type MemoryProvider, makeMemoryProvider } from "./memory-provider.js";

/** The fixture schema compiled once for every test device. */
export const compiledFixture = compileSchema(deviceFixture);

/** A test device and its doubles. */
export interface TestDevice {
  readonly model: DataModel;
  readonly store: StoreService;
  readonly cellular: MemoryProvider;
}

/** Values the cellular provider starts with. */
export const cellularValues = {
  [`${CELLULAR}Interface.1.Status`]: "Up",
  [`${CELLULAR}Interface.1.RSSI`]: "-70",
  [`${CELLULAR}Interface.1.APN`]: "internet",
  [`${CELLULAR}Interface.2.Status`]: "Down",
  [`${CELLULAR}Interface.2.RSSI`]: "-90",
  [`${CELLULAR}Interface.2.APN`]: "ims",
};

/** Creates a fixture device; pass `store` to reopen a device over an existing store. */
export const makeTestDevice = (
  opts: {
    readonly store?: StoreService;
    readonly document?: StoreDocument;
    readonly options?: DataModelOptions;
    readonly cellular?: MemoryProvider;
    /** More providers, after the cellular one. */
    readonly extraProviders?: readonly ParameterProvider[];
  } = {},
): Effect.Effect<TestDevice, DataModelError> =>
  Effect.gen(function* () {
    const store = opts.store ?? (yield* makeMemoryStore(opts.document));
    const cellular =
      opts.cellular ??
      (yield* makeMemoryProvider("cellular", [CELLULAR], cellularValues, {
        [`${CELLULAR}Interface.`]: [1, 2],
      }));
    const model = yield* makeDataModel({
      schema: compiledFixture,
      providers: [cellular, ...(opts.extraProviders ?? [])],
      store,
      initial: fixtureInitial,
      ...(opts.options ? { options: opts.options } : {}),
    });
    return { model, store, cellular };
  });

/** Runs `f` on a fresh fixture device. */
export const withDevice = <A>(
  f: (d: TestDevice) => Effect.Effect<A, unknown>,
  opts?: Parameters<typeof makeTestDevice>[0],
): Promise<A> => Effect.runPromise(Effect.flatMap(makeTestDevice(opts), f) as Effect.Effect<A>);

/** The fault an effect failed with (fails the test when it succeeded). */
export const faultOf = <A>(e: Effect.Effect<A, CwmpFault>): Effect.Effect<CwmpFault> =>
  Effect.flip(e).pipe(
    Effect.catchAll(() => Effect.succeed(cwmpFault(0, "expected a fault, got a success"))),
  );
