/**
 * The store each fleet device gets, by the plan's kind: in memory (state lost at exit), or its
 * document in the fleet's one LMDB environment (`makeLmdbFleetStore` of
 * `@cpekit/transport-http`: crash-safe, saves of all devices batched into shared commits),
 * keyed by the device's `OUI-ProductClass-SerialNumber`. The one place to switch stores.
 * @module
 */
import { makeMemoryStore, type StoreError, type StoreService } from "@cpekit/core";
import type { FleetDeviceSpec } from "@cpekit/fleet";
import { makeLmdbFleetStore } from "@cpekit/transport-http";
import { Effect, type Scope } from "effect";
import type { FleetStorePlan } from "./fleet-plan.js";

/** The store of one device. */
export type FleetStoreOf = (spec: FleetDeviceSpec) => Effect.Effect<StoreService, StoreError>;

/** Opens the fleet's storage for the life of the scope. */
export const openFleetStore = (
  plan: FleetStorePlan,
): Effect.Effect<FleetStoreOf, StoreError, Scope.Scope> =>
  plan.kind === "memory"
    ? Effect.succeed(() => makeMemoryStore())
    : Effect.map(makeLmdbFleetStore({ path: plan.dir }), (env) => (spec: FleetDeviceSpec) => {
        const id = spec.deviceId;
        return Effect.succeed(env.storeFor(`${id.oui}-${id.productClass}-${id.serialNumber}`));
      });
