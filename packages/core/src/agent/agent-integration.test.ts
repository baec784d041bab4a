import { Effect, Layer, TestClock, TestContext } from "effect";
import { describe, expect, it } from "vitest";
import type { ParameterSchema } from "../datamodel/schema.js";
import { CELLULAR, deviceFixtureWith } from "../datamodel/test-support/device-fixture.js";
import { makeMemoryProvider } from "../datamodel/test-support/memory-provider.js";
import type { ParameterProvider } from "../ports/parameter-provider.js";
import { makeMemoryStore, Store, type StoreService } from "../ports/store.js";
import type { CwmpMessage } from "../soap/messages.js";
import { type Agent, type AgentOptions, makeAgent } from "./agent.js";
import {
  connectionRequestCredentials,
  makeConnectionRequestCredentialsSource,
} from "./connection-request-credentials.js";
import { EventCode } from "./event-codes.js";
import {
  fakeConnectionRequests,
  type ScriptedAcsLog,
  scriptedAcs,
} from "./test-support/scripted-acs.js";
import { settle } from "./test-support/settle.js";
import { stubDevicePorts, testDeviceId } from "./test-support/stub-device-ports.js";

const MS = "Device.ManagementServer.";
const ACS_URL = "http://127.0.0.1:7547/acs";
const CR_URL = `${MS}ConnectionRequestURL`;
const RSSI = `${CELLULAR}Interface.1.RSSI`;
const STATUS = `${CELLULAR}Interface.1.Status`;

const extra = (path: string, more: Partial<ParameterSchema> = {}): ParameterSchema => ({
  path,
  type: "string",
  access: "readWrite",
  ...more,
});

/** The fixture plus the ManagementServer parameters these tests need. */
const schema = deviceFixtureWith([
  extra(`${MS}Username`),
  extra(`${MS}ConnectionRequestUsername`),
  extra(`${MS}ConnectionRequestPassword`, { hidden: true }),
  extra(`${MS}DefaultActiveNotificationThrottle`, { type: "unsignedInt", default: "0" }),
]);

interface Run {
  readonly store: StoreService;
  readonly scripts?: readonly (readonly CwmpMessage[])[];
  readonly crUrl?: string;
  readonly options?: Partial<AgentOptions>;
  readonly providers?: readonly ParameterProvider[];
  readonly values?: Readonly<Record<string, string>>;
}

/** Runs one agent life in virtual time and hands `body` the agent, the ACS log and a CR trigger. */
const withAgent = <A>(
  run: Run,
  body: (
    agent: Agent,
    log: ScriptedAcsLog,
    fireCr: Effect.Effect<void>,
  ) => Effect.Effect<A, unknown>,
) =>
  Effect.gen(function* () {
    const acs = scriptedAcs(run.scripts ?? []);
    const cr = yield* fakeConnectionRequests(run.crUrl ?? "http://127.0.0.1:30005/cr");
    const layer = Layer.mergeAll(
      Layer.succeed(Store, run.store),
      acs.layer,
      cr.layer,
      stubDevicePorts(),
    );
    return yield* Effect.scoped(
      Effect.flatMap(
        makeAgent({
          deviceId: testDeviceId,
          acs: { url: ACS_URL },
          dataModel: {
            schema,
            providers: run.providers ?? [],
            initial: {
              values: { [`${MS}PeriodicInformEnable`]: "false", ...run.values },
              instances: {},
            },
          },
          random: () => 0.5,
          ...run.options,
        }),
        (agent) => Effect.zipLeft(body(agent, acs.log, cr.fire), settle),
      ),
    ).pipe(Effect.provide(layer));
  }).pipe(Effect.orDie, Effect.provide(TestContext.TestContext), Effect.runPromise);

const notify = (name: string, notification: 0 | 1 | 2) => ({
  name,
  notificationChange: true,
  notification,
  accessListChange: false,
  accessList: [],
});

describe("makeAgent integration", () => {
  it("C1 C7 the ConnectionRequestURL is published at start; a different URL after a restart makes the boot Inform carry 4 VALUE CHANGE with it", async () => {
    const store = Effect.runSync(makeMemoryStore());
    const first = "http://127.0.0.1:30001/cr";
    const second = "http://127.0.0.1:30002/cr";
    await withAgent({ store, crUrl: first }, (_agent, log) =>
      Effect.gen(function* () {
        yield* settle;
        expect(log.informs[0]?.codes).toEqual([EventCode.Bootstrap, EventCode.Boot]);
        expect(log.informs[0]?.parameters.get(CR_URL)).toBe(first);
      }),
    );
    await withAgent({ store, crUrl: first }, (_agent, log) =>
      Effect.gen(function* () {
        yield* settle;
        expect(log.informs[0]?.codes).toEqual([EventCode.Boot]);
      }),
    );
    await withAgent({ store, crUrl: second }, (agent, log) =>
      Effect.gen(function* () {
        yield* settle;
        expect(log.informs[0]?.codes).toEqual([EventCode.Boot, EventCode.ValueChange]);
        expect(log.informs[0]?.parameters.get(CR_URL)).toBe(second);
        // Delivered: nothing stays pending for the next Inform.
        expect(yield* agent.dataModel.pendingNotifications).toEqual([]);
      }),
    );
  });

  it("C2 the credentials source answers the configured credentials until bound, then the values the ACS set (hidden password included)", async () => {
    const store = Effect.runSync(makeMemoryStore());
    const source = Effect.runSync(
      makeConnectionRequestCredentialsSource({ username: "factory", password: "factory-pw" }),
    );
    expect(Effect.runSync(source.credentials)).toEqual({
      username: "factory",
      password: "factory-pw",
    });
    await withAgent(
      {
        store,
        options: { connectionRequestCredentials: source },
        values: { [`${MS}ConnectionRequestUsername`]: "cr-user" },
        scripts: [
          [],
          [
            {
              _tag: "SetParameterValues",
              parameterList: [
                { name: `${MS}ConnectionRequestUsername`, value: "acs-user", type: "string" },
                { name: `${MS}ConnectionRequestPassword`, value: "acs-pw", type: "string" },
              ],
              parameterKey: "k",
            },
          ],
        ],
      },
      (_agent, log, fireCr) =>
        Effect.gen(function* () {
          yield* settle;
          // Bound: the stored username wins, the empty password keeps the configured one.
          expect(yield* source.credentials).toEqual({
            username: "cr-user",
            password: "factory-pw",
          });
          yield* fireCr;
          yield* settle;
          expect(log.informs[1]?.codes).toEqual([EventCode.ConnectionRequest]);
          expect(yield* source.credentials).toEqual({ username: "acs-user", password: "acs-pw" });
        }),
    );
  });

  it("C2 connectionRequestCredentials falls back to the configured credentials when the model lacks the parameters", async () => {
    const model = {
      getDeviceValues: () => Effect.fail({ _tag: "CwmpFault" } as never),
    };
    const got = await Effect.runPromise(
      connectionRequestCredentials(model, MS, { username: "u", password: "p" }),
    );
    expect(got).toEqual({ username: "u", password: "p" });
  });

  it("§1.5 ManagementServer.Username/Password set by the ACS replace the configured ones from the next session, which goes to the new URL", async () => {
    const store = Effect.runSync(makeMemoryStore());
    const newUrl = "http://127.0.0.1:7548/acs";
    await withAgent(
      {
        store,
        values: { [`${MS}Password`]: "" },
        options: { acs: { url: ACS_URL, username: "cfg-user", password: "cfg-pw" } },
        scripts: [
          [
            {
              _tag: "SetParameterValues",
              parameterList: [
                { name: `${MS}Username`, value: "acs-user", type: "string" },
                { name: `${MS}Password`, value: "acs-pw", type: "string" },
                { name: `${MS}URL`, value: newUrl, type: "string" },
              ],
              parameterKey: "k",
            },
          ],
        ],
      },
      (_agent, log) =>
        Effect.gen(function* () {
          yield* settle;
          expect(log.opened[0]).toEqual({ url: ACS_URL, username: "cfg-user", password: "cfg-pw" });
          expect(log.opened[1]).toEqual({ url: newUrl, username: "acs-user", password: "acs-pw" });
          expect(log.informs[1]?.codes).toEqual([EventCode.Bootstrap]);
        }),
    );
  });

  /** A provider serving the Cellular subtree with one interface; values change without a push. */
  const cellular = () =>
    makeMemoryProvider(
      "modem",
      [CELLULAR],
      { [RSSI]: "-70", [STATUS]: "Up", [`${CELLULAR}Interface.1.APN`]: "internet" },
      { [`${CELLULAR}Interface.`]: [1] },
    );
  const watchCellular: CwmpMessage = {
    _tag: "SetParameterAttributes",
    parameterList: [notify(RSSI, 1), notify(STATUS, 2)],
  };

  it("§1.11 polling: a passive change waits for the next Inform, an active one starts a session with 4 VALUE CHANGE carrying both (virtual time)", async () => {
    const store = Effect.runSync(makeMemoryStore());
    const modem = Effect.runSync(cellular());
    await withAgent(
      {
        store,
        providers: [modem],
        options: { pollIntervalSeconds: 10 },
        scripts: [[watchCellular]],
      },
      (_agent, log) =>
        Effect.gen(function* () {
          yield* settle;
          expect(log.answers).toMatchObject([{ _tag: "SetParameterAttributesResponse" }]);
          yield* TestClock.adjust("10 seconds"); // first poll of the watched values: baselines
          yield* settle;
          modem.values.set(RSSI, "-80");
          yield* TestClock.adjust("10 seconds");
          yield* settle;
          expect(log.informs).toHaveLength(1);
          modem.values.set(STATUS, "Down");
          yield* TestClock.adjust("10 seconds");
          yield* settle;
          expect(log.informs[1]?.codes).toEqual([EventCode.ValueChange]);
          expect(log.informs[1]?.parameters.get(RSSI)).toBe("-80");
          expect(log.informs[1]?.parameters.get(STATUS)).toBe("Down");
        }),
    );
  });

  it("§1.10 §1.11 an active change found by polling waits for DefaultActiveNotificationThrottle after the last session (virtual time)", async () => {
    const store = Effect.runSync(makeMemoryStore());
    const modem = Effect.runSync(cellular());
    await withAgent(
      {
        store,
        providers: [modem],
        values: { [`${MS}DefaultActiveNotificationThrottle`]: "60" },
        options: { pollIntervalSeconds: 10 },
        scripts: [[watchCellular]],
      },
      (_agent, log) =>
        Effect.gen(function* () {
          yield* settle;
          yield* TestClock.adjust("10 seconds");
          yield* settle;
          modem.values.set(STATUS, "Down");
          yield* TestClock.adjust("10 seconds");
          yield* settle;
          yield* TestClock.adjust("39 seconds");
          yield* settle;
          expect(log.informs).toHaveLength(1);
          yield* TestClock.adjust("1 second");
          yield* settle;
          expect(log.informs[1]?.codes).toEqual([EventCode.ValueChange]);
          expect(log.informs[1]?.parameters.get(STATUS)).toBe("Down");
        }),
    );
  });

  it("§1.11 pollIntervalSeconds 0 turns polling off: a changed active value starts no session", async () => {
    const store = Effect.runSync(makeMemoryStore());
    const modem = Effect.runSync(cellular());
    await withAgent(
      {
        store,
        providers: [modem],
        options: { pollIntervalSeconds: 0 },
        scripts: [[watchCellular]],
      },
      (agent, log) =>
        Effect.gen(function* () {
          yield* settle;
          const readsBefore = modem.calls.length;
          modem.values.set(STATUS, "Down");
          yield* TestClock.adjust("10 minutes");
          yield* settle;
          expect(log.informs).toHaveLength(1);
          expect(modem.calls).toHaveLength(readsBefore);
          expect(yield* agent.dataModel.pendingNotifications).toEqual([]);
        }),
    );
  });
});
