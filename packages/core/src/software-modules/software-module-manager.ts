/**
 * Software-module management of one agent (TR-069 Annex H): the ChangeDUState handler, which
 * saves the request and answers at once; the runner that carries the saved operations out after
 * the session, one at a time, and queues one DUStateChangeComplete per request with
 * `11 DU STATE CHANGE COMPLETE` and `M ChangeDUState` (its CommandKey); and the reports of the
 * changes a plugin made on its own (AutonomousDUStateChangeComplete with
 * `12 AUTONOMOUS DU STATE CHANGE COMPLETE`, under `DUStateChangeComplPolicy`).
 *
 * Durability: the request is saved before ChangeDUStateResponse, each operation's result as
 * soon as it is known, and the report enters the event queue in the same save that drops the
 * request. A restart goes on with the first operation that has no result (an operation a crash
 * interrupted is carried out again; the plugin answers 9026 for an install it had finished).
 * @module
 */
import { type Duration, Effect, Option } from "effect";
import { cwmpDateTime } from "../agent/cwmp-date-time.js";
import { EventCode } from "../agent/event-codes.js";
import type { PersistentEventQueue } from "../agent/event-queue-store.js";
import { type CwmpFault, cwmpFault } from "../cwmp/fault.js";
import type { DataModel } from "../datamodel/data-model.js";
import type { FileTransferService } from "../ports/file-transfer.js";
import {
  type AutonomousDeploymentUnitChange,
  type FetchPackage,
  SoftwareModuleError,
  type SoftwareModulesService,
} from "../ports/software-modules.js";
import type { StoreError } from "../ports/store.js";
import { type RpcHandler, rpcHandler } from "../rpc/rpc-handler.js";
import type { OperationStruct, OpResultStruct } from "../soap/rpc-structs.js";
import {
  deploymentUnitFault,
  fetchFaultCode,
  isDeploymentUnitUuid,
  NIL_UUID,
} from "./deployment-unit-fault.js";
import { runDeploymentUnitOperation } from "./deployment-unit-operation.js";
import { isDuChangeReported, readDuStateChangePolicy } from "./du-state-change-policy.js";
import type { SoftwareModulesBook } from "./software-modules-book.js";

/** What the manager of one device is made of. */
export interface SoftwareModuleManagerConfig {
  readonly modules: SoftwareModulesService;
  readonly book: SoftwareModulesBook;
  /** The event queue the reports go to. */
  readonly queue: PersistentEventQueue;
  readonly fileTransfer: FileTransferService;
  /** The data model the policy is read from. */
  readonly dataModel: Pick<DataModel, "getParameterValues">;
  /** `Device.ManagementServer.` */
  readonly managementServerPrefix: string;
  /** Largest package fetched (a larger one fails the operation with 9027). */
  readonly maxBytes: number;
  /** Time limit of one fetch. */
  readonly timeout: Duration.DurationInput;
  /** Most ChangeDUState requests saved and not carried out; more are refused (9004). Default 16. */
  readonly maxPending?: number;
}

/** The software-module side of one agent. */
export interface SoftwareModuleManager {
  /** The ChangeDUState handler (register it under `ChangeDUState`). */
  readonly changeDUState: RpcHandler;
  /** Carries out every saved request; returns how many reports it queued. */
  readonly runPending: Effect.Effect<number, StoreError>;
  /** Queues the report of an autonomous change when the policy lets it through; true if queued. */
  readonly reportAutonomous: (
    change: AutonomousDeploymentUnitChange,
  ) => Effect.Effect<boolean, StoreError>;
}

/** Most operations one ChangeDUState may carry (XSD `Operations` maxOccurs 16). */
export const MAX_OPERATIONS = 16;
const MAX_COMMAND_KEY = 32;

/** The events of a DUStateChangeComplete with `commandKey`. */
export const duStateChangeEvents = (commandKey: string) => [
  { eventCode: EventCode.DuStateChangeComplete, commandKey: "" },
  { eventCode: EventCode.MChangeDUState, commandKey },
];

/** Makes the manager of one device. */
export const makeSoftwareModuleManager = (
  config: SoftwareModuleManagerConfig,
): SoftwareModuleManager => {
  const { book, modules } = config;
  const maxPending = config.maxPending ?? 16;

  const fetch = (url: string, username?: string, password?: string): FetchPackage =>
    /^https?:\/\//i.test(url)
      ? Effect.map(
          Effect.mapError(
            config.fileTransfer.download({
              url,
              ...(username === undefined || username === "" ? {} : { username }),
              ...(password === undefined || password === "" ? {} : { password }),
              maxBytes: config.maxBytes,
              timeout: config.timeout,
            }),
            (e) =>
              new SoftwareModuleError({
                reason: "Transfer",
                faultCode: fetchFaultCode(e),
                detail: e.detail,
                cause: e,
              }),
          ),
          (r) => ({
            bytes: r.bytes,
            ...(r.contentType === undefined ? {} : { contentType: r.contentType }),
          }),
        )
      : Effect.fail(
          new SoftwareModuleError({
            reason: "Transfer",
            faultCode: 9013,
            detail: `unsupported protocol in ${url.slice(0, 16)}`,
          }),
        );

  const deps = {
    modules,
    fetch,
    refs: (inventory: Parameters<SoftwareModulesBook["refs"]>[0]) =>
      Effect.mapError(
        book.refs(inventory),
        (e) => new SoftwareModuleError({ reason: "Internal", faultCode: 9002, detail: e.message }),
      ),
  };

  /**
   * 9029 for each Update or Uninstall whose DU an earlier request is changing now (its Status
   * Installing, Updating or Uninstalling when this request arrives); null for the others.
   */
  const refusedNow = (operations: readonly OperationStruct[]) =>
    Effect.gen(function* () {
      const inventory = yield* Effect.orElseSucceed(modules.inventory, () => undefined);
      const at = cwmpDateTime(yield* Effect.clockWith((c) => c.currentTimeMillis));
      return operations.map((op): OpResultStruct | null => {
        if (inventory === undefined || op._tag === "InstallOpStruct") return null;
        const uuid = (op.uuid ?? "").toLowerCase();
        const busy = inventory.deploymentUnits.find(
          (d) =>
            uuid !== "" &&
            d.uuid.toLowerCase() === uuid &&
            (op.version === undefined || op.version === "" || d.version === op.version) &&
            d.status !== "Installed" &&
            d.status !== "Uninstalled",
        );
        if (busy === undefined) return null;
        return {
          uuid: busy.uuid,
          deploymentUnitRef: "",
          version: busy.version,
          currentState: "Installed",
          resolved: busy.resolved,
          executionUnitRefList: "",
          startTime: at,
          completeTime: at,
          fault: deploymentUnitFault(9029, `DU ${busy.uuid} is ${busy.status}`),
        };
      });
    });

  const storeFault = (e: StoreError): CwmpFault =>
    cwmpFault(9002, `cannot save the request: ${e.message}`);

  const changeDUState = rpcHandler("ChangeDUState", ({ request }) =>
    Effect.gen(function* () {
      const commandKey = request.commandKey ?? "";
      if (request.operations.length === 0)
        return yield* Effect.fail(cwmpFault(9003, "ChangeDUState without Operations"));
      if (request.operations.length > MAX_OPERATIONS)
        return yield* Effect.fail(
          cwmpFault(9004, `at most ${MAX_OPERATIONS} operations per ChangeDUState`),
        );
      if (commandKey.length > MAX_COMMAND_KEY)
        return yield* Effect.fail(
          cwmpFault(9003, `CommandKey is longer than ${MAX_COMMAND_KEY} characters`),
        );
      if ((yield* book.get).pending.length >= maxPending)
        return yield* Effect.fail(
          cwmpFault(9004, `at most ${maxPending} ChangeDUState requests may be pending`),
        );
      const refused = yield* refusedNow(request.operations);
      // Saved before the answer: a crash after ChangeDUStateResponse still carries it out.
      yield* Effect.mapError(
        book.update((s) => ({
          ...s,
          nextId: s.nextId + 1,
          pending: [
            ...s.pending,
            {
              id: s.nextId,
              commandKey,
              operations: request.operations,
              results: [],
              ...(refused.some((r) => r !== null) ? { refused } : {}),
            },
          ],
        })),
        storeFault,
      );
      return { _tag: "ChangeDUStateResponse" as const };
    }),
  );

  const runPending: Effect.Effect<number, StoreError> = Effect.gen(function* () {
    let reports = 0;
    // Requests saved while this runs are picked up by the loop; each is finished once.
    for (;;) {
      const [next] = (yield* book.get).pending;
      if (next === undefined) return reports;
      let results = next.results;
      for (const [i, op] of next.operations.entries()) {
        if (i < results.length) continue;
        const result = next.refused?.[i] ?? (yield* runDeploymentUnitOperation(op, deps));
        results = [...results, result];
        const saved = results;
        yield* book.update((s) => ({
          ...s,
          pending: s.pending.map((p) => (p.id === next.id ? { ...p, results: saved } : p)),
        }));
      }
      yield* book.complete(
        config.queue,
        next.id,
        { _tag: "DUStateChangeComplete", results, commandKey: next.commandKey },
        duStateChangeEvents(next.commandKey),
      );
      reports += 1;
    }
  });

  const reportAutonomous = (change: AutonomousDeploymentUnitChange) =>
    Effect.gen(function* () {
      const policy = yield* readDuStateChangePolicy(
        config.dataModel,
        config.managementServerPrefix,
      );
      const faultCode = change.fault?.faultCode ?? 0;
      if (
        Option.isNone(policy) ||
        !isDuChangeReported(policy.value, { operation: change.operation, faultCode })
      )
        return false;
      const du = change.deploymentUnit;
      const inventory = yield* Effect.orElseSucceed(modules.inventory, () => undefined);
      // An uninstalled DU is no longer in the inventory: its references are those it had.
      const refs = yield* book.refs(
        inventory === undefined
          ? { execEnvs: [], deploymentUnits: [du], executionUnits: [] }
          : {
              ...inventory,
              deploymentUnits: inventory.deploymentUnits.some((d) => d.duid === du.duid)
                ? inventory.deploymentUnits
                : [...inventory.deploymentUnits, du],
            },
      );
      yield* book.reportAutonomous(
        config.queue,
        {
          _tag: "AutonomousDUStateChangeComplete",
          results: [
            {
              uuid: isDeploymentUnitUuid(du.uuid) ? du.uuid : NIL_UUID,
              deploymentUnitRef: refs.deploymentUnitRef(du.duid),
              version: du.version,
              currentState:
                faultCode !== 0
                  ? change.operation === "Install"
                    ? "Failed"
                    : "Installed"
                  : change.operation === "Uninstall"
                    ? "Uninstalled"
                    : "Installed",
              resolved: du.resolved,
              executionUnitRefList: du.executionUnits
                .map((u) => refs.executionUnitRef(u))
                .filter((r) => r !== "")
                .join(","),
              startTime: cwmpDateTime(change.startTime),
              completeTime: cwmpDateTime(change.completeTime),
              fault:
                faultCode === 0
                  ? { faultCode: 0, faultString: "" }
                  : deploymentUnitFault(faultCode, change.fault?.faultString ?? ""),
              operationPerformed: change.operation,
            },
          ],
        },
        [{ eventCode: EventCode.AutonomousDuStateChangeComplete, commandKey: "" }],
      );
      return true;
    });

  return { changeDUState, runPending, reportAutonomous };
};
