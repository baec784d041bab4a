/**
 * One device as its own process, for the durability test and the session benchmark: a real
 * `makeAgent` agent on the real HTTP transport of this package (ACS client, file transfer, JSON
 * file store) with a TR-181 Device:2 data model (the cellular-module profile).
 *
 * Run with `node --conditions=@cpekit/source --import tsx agent-child.ts '<config JSON>'`
 * (see {@link AgentChildConfig}), normally through `child_process.fork` so that it can report
 * over IPC. A Reboot asked by the ACS ends the process with {@link REBOOT_EXIT_CODE} once the
 * agent has done what it does before a reboot; the parent then starts it again over the same
 * store, as the device's power cycle. The parent may also SIGKILL it at any instant: that is
 * the crash the store's atomic writes and the event queue's write-ahead must survive.
 * @module
 */
import {
  type Agent,
  type CwmpMessage,
  DeviceActions,
  type DeviceActionsService,
  makeAgent,
  makeMemoryStore,
  SoftwareModules,
  Store,
} from "@cpekit/core";
import { loadDevice2Schema, selectProfile } from "@cpekit/datamodel-tr181";
import { Effect, Exit, Layer, Option, Schema } from "effect";
import * as AcsClient from "../acs-client.js";
import * as HttpFileTransfer from "../file-transfer.js";
import * as JsonFileStore from "../json-file-store.js";
import {
  AgentChildConfig,
  type AgentChildReport,
  REBOOT_EXIT_CODE,
  runUserAgent,
} from "./agent-child-config.js";
import { CHILD_OUI, CHILD_PRODUCT_CLASS } from "./agent-child-constants.js";
import { childSoftwareModules } from "./child-software-modules.js";
import { cpeRequestItem, REQUEST_KEY_ARG } from "./delivery-ledger.js";

const report = (message: AgentChildReport): void => {
  // Without an IPC channel (run by hand) there is nobody to tell.
  process.send?.(message);
};

const factoryValues = (config: AgentChildConfig): Record<string, string> => ({
  "Device.RootDataModelVersion": "2.17",
  "Device.DeviceInfo.Manufacturer": "cpekit",
  "Device.DeviceInfo.ManufacturerOUI": CHILD_OUI,
  "Device.DeviceInfo.ModelName": "durability",
  "Device.DeviceInfo.ProductClass": CHILD_PRODUCT_CLASS,
  "Device.DeviceInfo.SerialNumber": config.serialNumber,
  "Device.DeviceInfo.HardwareVersion": "1.0",
  "Device.DeviceInfo.SoftwareVersion": "1.0.0",
  "Device.ManagementServer.URL": config.acsUrl,
  "Device.ManagementServer.PeriodicInformEnable": String(config.periodicInformSeconds > 0),
  "Device.ManagementServer.PeriodicInformInterval": String(
    Math.max(1, config.periodicInformSeconds),
  ),
  // Retry a failed session after exactly one second (multiplier 1.0): short test runs.
  "Device.ManagementServer.CWMPRetryMinimumWaitInterval": "1",
  "Device.ManagementServer.CWMPRetryIntervalMultiplier": "1000",
  // Every autonomous firmware download is reported (the CPE-request runs make some).
  "Device.ManagementServer.AutonomousTransferCompletePolicy.Enable": "true",
  "Device.ManagementServer.AutonomousTransferCompletePolicy.TransferTypeFilter": "Both",
  "Device.ManagementServer.AutonomousTransferCompletePolicy.ResultTypeFilter": "Both",
  "Device.ManagementServer.AutonomousTransferCompletePolicy.FileTypeFilter":
    "1 Firmware Upgrade Image",
});

/**
 * The run's CPE request (one kind per run, in turn), made through the application API; reported
 * once the call returned, that is once it is saved. A kill before that owes nothing.
 */
const makeCpeRequest = (agent: Agent, config: AgentChildConfig) =>
  Effect.gen(function* () {
    const key = `${config.serialNumber}-run-${config.run}`;
    const api = agent.cpeRequests;
    let message: CwmpMessage;
    switch (config.run % 4) {
      case 0: {
        message = { _tag: "Kicked", command: "kick", referer: "", arg: key, next: "" };
        yield* api.kicked(message);
        break;
      }
      case 1: {
        const fileTypeArg = [{ name: REQUEST_KEY_ARG, value: key }];
        message = { _tag: "RequestDownload", fileType: "1 Firmware Upgrade Image", fileTypeArg };
        yield* api.requestDownload(message.fileType, fileTypeArg);
        break;
      }
      case 2: {
        const atc = {
          _tag: "AutonomousTransferComplete",
          announceUrl: "",
          transferUrl: "http://127.0.0.1:9/autonomous.bin",
          isDownload: true,
          fileType: "1 Firmware Upgrade Image",
          fileSize: 1,
          targetFileName: key,
          faultStruct: { faultCode: 0, faultString: "" },
          startTime: "0001-01-01T00:00:00Z",
          completeTime: "0001-01-01T00:00:00Z",
        } as const;
        message = atc;
        const queued = yield* api.autonomousTransferComplete({ ...atc, fault: atc.faultStruct });
        if (Option.isNone(queued)) return;
        break;
      }
      default: {
        message = { _tag: "GetRPCMethods" };
        yield* api.getRpcMethods();
      }
    }
    const item = cpeRequestItem(message);
    // GetRPCMethods has no key in its message: the report names it by the run.
    report({
      type: "cpeRequestQueued",
      item: message._tag === "GetRPCMethods" ? `GetRPCMethods|${key}` : (item ?? ""),
    });
  }).pipe(Effect.ignore);

const deviceActions = (config: AgentChildConfig): DeviceActionsService => ({
  // The reboot itself is the process exit that follows the agent's stop (see main).
  reboot: Effect.void,
  factoryReset: Effect.void,
  applyFirmware: () => Effect.sleep(config.applyDelayMs),
  applyConfig: () => Effect.sleep(config.applyDelayMs),
});

/** Benchmark mode: back-to-back sessions, CPU time measured over the last `sessions`. */
const benchLoop = (
  send: () => void,
  bench: { readonly warmup: number; readonly sessions: number },
  done: () => void,
) => {
  let ended = 0;
  let cpu: NodeJS.CpuUsage | undefined;
  let wall = 0;
  return (outcome: "success" | "failure") => {
    ended++;
    if (outcome === "failure") return;
    if (ended === bench.warmup) {
      cpu = process.cpuUsage();
      wall = performance.now();
    }
    if (cpu !== undefined && ended === bench.warmup + bench.sessions) {
      const used = process.cpuUsage(cpu);
      report({
        type: "bench",
        sessions: bench.sessions,
        userMicros: used.user,
        systemMicros: used.system,
        wallMs: performance.now() - wall,
      });
      done();
      return;
    }
    send();
  };
};

/** Runs the device until it reboots (or, in benchmark mode, until the figures are sent). */
const runDevice = (config: AgentChildConfig) =>
  Effect.scoped(
    Effect.gen(function* () {
      const agent = yield* makeAgent({
        deviceId: {
          manufacturer: "cpekit",
          oui: CHILD_OUI,
          productClass: CHILD_PRODUCT_CLASS,
          serialNumber: config.serialNumber,
        },
        acs: { url: config.acsUrl },
        dataModel: {
          schema: selectProfile(loadDevice2Schema(), "cellular-module"),
          initial: { values: factoryValues(config) },
        },
      });
      const finished = yield* Effect.makeLatch(false);
      const onSessionEnd =
        config.bench === undefined
          ? undefined
          : benchLoop(
              () => agent.actor.send({ type: "CONNECTION_REQUEST" }),
              config.bench,
              () => Effect.runSync(finished.open),
            );
      agent.actor.on("sessionEnded", (e) => {
        report({ type: "sessionEnded", outcome: e.outcome });
        onSessionEnd?.(e.outcome);
      });
      report({ type: "started", run: config.run });
      if (config.cpeRequests === true) yield* Effect.forkScoped(makeCpeRequest(agent, config));
      return yield* Effect.raceFirst(
        agent.stopped,
        Effect.as(finished.await, "benchDone" as const),
      );
    }),
  ).pipe(
    Effect.provide(
      Layer.mergeAll(
        config.memoryStore === true
          ? Layer.effect(Store, makeMemoryStore())
          : JsonFileStore.layer(config.storePath),
        AcsClient.layer({ requestTimeout: "5 seconds", userAgent: runUserAgent(config.run) }),
        HttpFileTransfer.layer(),
        Layer.succeed(DeviceActions, deviceActions(config)),
        // ChangeDUState (Annex H): its DUStateChangeComplete is owed like a TransferComplete.
        Layer.sync(SoftwareModules, childSoftwareModules),
      ),
    ),
  );

const main = Effect.gen(function* () {
  const config = yield* Schema.decodeUnknown(Schema.parseJson(AgentChildConfig))(
    process.argv[2] ?? "",
  );
  return yield* runDevice(config);
});

// A child never outlives its parent (a test that timed out, a benchmark stopped by hand).
process.on("disconnect", () => process.exit(0));
process.on("SIGTERM", () => process.exit(0));

// No top-level await: the durability test bundles this file to CommonJS for fast restarts.
void Effect.runPromiseExit(main).then((exit) => {
  if (Exit.isFailure(exit)) {
    process.stderr.write(`agent child failed: ${String(exit.cause)}\n`);
    process.exit(1);
  }
  process.exit(exit.value === "reboot" ? REBOOT_EXIT_CODE : 0);
});
