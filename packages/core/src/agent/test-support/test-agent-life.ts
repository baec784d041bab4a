/**
 * Test support: one whole agent's life on test ports (typically a scripted ACS) in virtual
 * time, the set-up the agent-level tests share. Periodic Informs are off so that only the
 * sessions a test causes are seen.
 * @module
 */
import { Effect, type Layer, TestContext } from "effect";
import type { DataModelSchema } from "../../datamodel/schema.js";
import type { AcsTransport } from "../../ports/acs-transport.js";
import type { DeviceActions } from "../../ports/device-actions.js";
import type { FileTransfer } from "../../ports/file-transfer.js";
import type { Store } from "../../ports/store.js";
import { type Agent, type AgentOptions, makeAgent } from "../agent.js";
import { settle } from "./settle.js";
import { testDeviceId } from "./stub-device-ports.js";

/** How one test agent is made and run. */
export interface TestAgentLife {
  readonly schema: DataModelSchema;
  /** Stored values on top of `PeriodicInformEnable` false. */
  readonly values?: Readonly<Record<string, string>>;
  /** The ports the agent needs, plus any optional ones the test gives it. */
  readonly layer: Layer.Layer<Store | AcsTransport | DeviceActions | FileTransfer>;
  /** Further agent options; the agent's defaults otherwise. */
  readonly options?: Pick<AgentOptions, "random" | "pollIntervalSeconds" | "version">;
  /** Let the boot session run before `body`. Default false. */
  readonly settleBefore?: boolean;
  /** Let what `body` started run before the agent stops. Default true. */
  readonly settleAfter?: boolean;
}

/** Makes the agent of `life` (ACS `http://127.0.0.1:7547/acs`), runs `body` on it, stops it. */
export const testAgentLife = <A>(
  life: TestAgentLife,
  body: (agent: Agent) => Effect.Effect<A, unknown>,
): Effect.Effect<A, unknown> =>
  Effect.scoped(
    Effect.flatMap(
      makeAgent({
        deviceId: testDeviceId,
        acs: { url: "http://127.0.0.1:7547/acs" },
        dataModel: {
          schema: life.schema,
          initial: {
            values: { "Device.ManagementServer.PeriodicInformEnable": "false", ...life.values },
            instances: {},
          },
        },
        ...life.options,
      }),
      (agent) => {
        const run = life.settleAfter === false ? body(agent) : Effect.zipLeft(body(agent), settle);
        return life.settleBefore === true ? Effect.zipRight(settle, run) : run;
      },
    ),
  ).pipe(Effect.provide(life.layer));

/** Runs a test program in virtual time (TestClock at the epoch); failures become defects. */
export const runInTestTime = <A>(program: Effect.Effect<A, unknown>): Promise<A> =>
  program.pipe(Effect.orDie, Effect.provide(TestContext.TestContext), Effect.runPromise);
