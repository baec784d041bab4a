/**
 * Scenarios of the §1.4 RPC table (ACS→CPE methods and the CPE's Inform). Optional methods the
 * device does not list in GetRPCMethods are skipped (the row stays "not covered"), except the
 * deprecated SetVouchers and GetOptions: a device that does not list one must refuse it with
 * fault 9000, which is checked instead.
 * @module
 */
import type { CwmpMessage } from "@cpekit/core";
import { Effect } from "effect";
import { requiredAcsMethods } from "../requirement-catalogue.js";
import type { Scenario, ScenarioContext } from "../scenario.js";
import {
  check,
  describeMessage,
  eventCodes,
  fail,
  hasEvent,
  nextInform,
  skip,
} from "../scenario-checks.js";
import { drive, driveFault, driveOne, settled } from "../session-driver.js";
import { deviceInfo as di, managementServer as ms } from "./parameter-paths.js";

/** The device's MethodList, skipping the scenario when `method` is optional and absent. */
const requireListed = (ctx: ScenarioContext, method: string) =>
  Effect.gen(function* () {
    const r = yield* driveOne(ctx, { _tag: "GetRPCMethods" }, "GetRPCMethodsResponse");
    if (!r.methodList.includes(method))
      return yield* skip(`optional ${method} not implemented (not in GetRPCMethods)`);
  });

const answerOf = <T extends CwmpMessage["_tag"]>(
  answers: readonly CwmpMessage[],
  i: number,
  tag: T,
) => {
  const a = answers[i];
  return a !== undefined && a._tag === tag
    ? Effect.succeed(a as Extract<CwmpMessage, { _tag: T }>)
    : fail(`answer #${i + 1} was ${a ? describeMessage(a) : "missing"}, expected ${tag}`);
};

const optionalShape = (
  method: string,
  request: CwmpMessage,
  tag: CwmpMessage["_tag"],
): Scenario => ({
  ids: [`§1.4-${method}`],
  title: `${method}, when listed in GetRPCMethods, answers ${tag}`,
  run: (ctx) =>
    Effect.gen(function* () {
      yield* settled(ctx);
      yield* requireListed(ctx, method);
      yield* driveOne(ctx, request, tag);
    }),
});

/**
 * An optional method checked either way: listed in GetRPCMethods, it answers `tag`; not listed,
 * it answers fault 9000 Method not supported (§1.14-9000). A device that lists it and faults, or
 * leaves it out and answers, fails.
 */
const listedOrRefused = (
  method: string,
  request: CwmpMessage,
  tag: CwmpMessage["_tag"],
): Scenario => ({
  ids: [`§1.4-${method}`],
  title: `${method}: ${tag} when listed in GetRPCMethods, fault 9000 when not`,
  run: (ctx) =>
    Effect.gen(function* () {
      yield* settled(ctx);
      const listed = yield* driveOne(ctx, { _tag: "GetRPCMethods" }, "GetRPCMethodsResponse");
      if (listed.methodList.includes(method)) yield* driveOne(ctx, request, tag);
      else yield* driveFault(ctx, request, 9000);
    }),
});

/** The scenarios of this file. */
export const rpcScenarios: readonly Scenario[] = [
  {
    ids: ["§1.4-GetRPCMethods"],
    title: "MethodList lists every required method, once",
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const r = yield* driveOne(ctx, { _tag: "GetRPCMethods" }, "GetRPCMethodsResponse");
        const missing = requiredAcsMethods.filter((m) => !r.methodList.includes(m));
        yield* check(missing.length === 0, `missing ${missing.join(", ")}`);
        yield* check(
          new Set(r.methodList).size === r.methodList.length,
          "duplicates in MethodList",
        );
      }),
  },
  {
    ids: ["§1.4-SetParameterValues", "§1.4-GetParameterValues"],
    title: "SPV sets a value (Status 0/1) that GPV then returns",
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const name = ms(ctx, "PeriodicInformInterval");
        const { answers } = yield* drive(ctx, [
          {
            _tag: "SetParameterValues",
            parameterList: [{ name, value: "1234", type: "unsignedInt" }],
            parameterKey: "spv-1",
          },
          { _tag: "GetParameterValues", parameterNames: [name] },
        ]);
        const set = yield* answerOf(answers, 0, "SetParameterValuesResponse");
        yield* check(set.status === 0 || set.status === 1, `Status ${set.status}`);
        const got = yield* answerOf(answers, 1, "GetParameterValuesResponse");
        yield* check(
          got.parameterList.length === 1 && got.parameterList[0]?.name === name,
          "GPV did not return exactly the parameter",
        );
        yield* check(
          got.parameterList[0]?.value === "1234",
          `GPV returned ${got.parameterList[0]?.value}`,
        );
      }),
  },
  {
    ids: ["§1.4-GetParameterValues"],
    title: "GPV of a partial path returns the parameters below it, with types",
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const prefix = di(ctx, "");
        const r = yield* driveOne(
          ctx,
          { _tag: "GetParameterValues", parameterNames: [prefix] },
          "GetParameterValuesResponse",
        );
        yield* check(r.parameterList.length >= 3, `${r.parameterList.length} values`);
        const outside = r.parameterList.filter(
          (p) => !p.name.startsWith(prefix) || p.name.endsWith("."),
        );
        yield* check(
          outside.length === 0,
          `unexpected names: ${outside.map((p) => p.name).join(", ")}`,
        );
        yield* check(
          r.parameterList.some((p) => p.name === di(ctx, "SerialNumber")),
          "no SerialNumber",
        );
      }),
  },
  {
    ids: ["§1.4-GetParameterNames"],
    title:
      "GPN lists parameters with Writable (SerialNumber read-only, PeriodicInformInterval writable)",
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const { answers } = yield* drive(ctx, [
          { _tag: "GetParameterNames", parameterPath: di(ctx, ""), nextLevel: true },
          { _tag: "GetParameterNames", parameterPath: ms(ctx, ""), nextLevel: true },
        ]);
        const a = yield* answerOf(answers, 0, "GetParameterNamesResponse");
        const b = yield* answerOf(answers, 1, "GetParameterNamesResponse");
        const sn = a.parameterList.find((p) => p.name === di(ctx, "SerialNumber"));
        yield* check(
          sn?.writable === false,
          `SerialNumber ${sn ? `writable=${sn.writable}` : "missing"}`,
        );
        const pii = b.parameterList.find((p) => p.name === ms(ctx, "PeriodicInformInterval"));
        yield* check(
          pii?.writable === true,
          `PeriodicInformInterval ${pii ? `writable=${pii.writable}` : "missing"}`,
        );
      }),
  },
  {
    ids: ["§1.4-SetParameterAttributes", "§1.4-GetParameterAttributes"],
    title: "SPA sets Notification (ignored when NotificationChange=false); GPA reads it back",
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const name = ms(ctx, "PeriodicInformInterval");
        const spa = (notification: 0 | 1 | 2, change: boolean): CwmpMessage => ({
          _tag: "SetParameterAttributes",
          parameterList: [
            {
              name,
              notificationChange: change,
              notification,
              accessListChange: false,
              accessList: [],
            },
          ],
        });
        const gpa: CwmpMessage = { _tag: "GetParameterAttributes", parameterNames: [name] };
        const { answers } = yield* drive(ctx, [spa(1, true), gpa, spa(2, false), gpa]);
        yield* answerOf(answers, 0, "SetParameterAttributesResponse");
        const first = yield* answerOf(answers, 1, "GetParameterAttributesResponse");
        yield* check(
          first.parameterList[0]?.notification === 1,
          `Notification ${first.parameterList[0]?.notification} after setting 1`,
        );
        yield* answerOf(answers, 2, "SetParameterAttributesResponse");
        const second = yield* answerOf(answers, 3, "GetParameterAttributesResponse");
        yield* check(
          second.parameterList[0]?.notification === 1,
          `Notification ${second.parameterList[0]?.notification} after NotificationChange=false`,
        );
      }),
  },
  {
    ids: ["§1.4-AddObject", "§1.4-DeleteObject"],
    title: "AddObject returns an instance >= 1 that exists; DeleteObject removes it",
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const table = ms(ctx, "InformParameter.");
        const added = yield* driveOne(
          ctx,
          { _tag: "AddObject", objectName: table, parameterKey: "add-1" },
          "AddObjectResponse",
        );
        yield* check(added.instanceNumber >= 1, `InstanceNumber ${added.instanceNumber}`);
        yield* check(added.status === 0 || added.status === 1, `Status ${added.status}`);
        const instance = `${table}${added.instanceNumber}.`;
        const { answers } = yield* drive(ctx, [
          { _tag: "GetParameterNames", parameterPath: instance, nextLevel: true },
          { _tag: "DeleteObject", objectName: instance, parameterKey: "del-1" },
          { _tag: "GetParameterNames", parameterPath: instance, nextLevel: true },
        ]);
        yield* answerOf(answers, 0, "GetParameterNamesResponse");
        const deleted = yield* answerOf(answers, 1, "DeleteObjectResponse");
        yield* check(deleted.status === 0 || deleted.status === 1, `Status ${deleted.status}`);
        const after = answers[2];
        yield* check(
          after?._tag === "Fault" && after.detail?.faultCode === 9005,
          `GPN of the deleted instance answered ${after ? describeMessage(after) : "nothing"}`,
        );
      }),
  },
  {
    ids: ["§1.4-Reboot", "§1.5-M-Reboot", "§1.5-1-BOOT"],
    title: "Reboot after the session; next Inform carries 1 BOOT and M Reboot with the CommandKey",
    timeoutMs: 15_000,
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        yield* driveOne(ctx, { _tag: "Reboot", commandKey: "reboot-7" }, "RebootResponse");
        const after = yield* nextInform(ctx, "after the Reboot", 8_000);
        const codes = eventCodes(after.inform.event);
        yield* check(hasEvent(after, "1 BOOT"), `Inform carried ${codes.join(", ")}`);
        yield* check(codes.includes("M Reboot|reboot-7"), `Inform carried ${codes.join(", ")}`);
        yield* check(!hasEvent(after, "0 BOOTSTRAP"), "a reboot announced 0 BOOTSTRAP");
        if (ctx.device.reboots)
          yield* check((yield* ctx.device.reboots) === 1, "the device did not reboot once");
      }),
  },
  {
    ids: ["§1.10-ScheduleReboot"],
    title: "DelayReboot 1: reboot about 1 s after the session (1 BOOT), DelayReboot back to -1",
    timeoutMs: 15_000,
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const name = ms(ctx, "DelayReboot");
        const set = yield* driveOne(
          ctx,
          {
            _tag: "SetParameterValues",
            parameterList: [{ name, value: "1", type: "int" }],
            parameterKey: "",
          },
          "SetParameterValuesResponse",
        );
        yield* check(set.status === 0 || set.status === 1, `Status ${set.status}`);
        const after = yield* nextInform(ctx, "the reboot after DelayReboot", 6_000);
        yield* check(
          hasEvent(after, "1 BOOT"),
          `Inform carried ${eventCodes(after.inform.event).join(", ")}`,
        );
        const r = yield* driveOne(
          ctx,
          { _tag: "GetParameterValues", parameterNames: [name] },
          "GetParameterValuesResponse",
        );
        yield* check(
          r.parameterList[0]?.value === "-1",
          `DelayReboot "${r.parameterList[0]?.value}" after the reboot`,
        );
      }),
  },
  {
    ids: ["§1.4-FactoryReset", "§1.11-ParameterKey"],
    title: "FactoryReset: next Inform carries 0 BOOTSTRAP, ParameterKey is empty again",
    timeoutMs: 15_000,
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const pk = ms(ctx, "ParameterKey");
        yield* drive(ctx, [
          {
            _tag: "SetParameterValues",
            parameterList: [
              { name: ms(ctx, "PeriodicInformInterval"), value: "999", type: "unsignedInt" },
            ],
            parameterKey: "before-reset",
          },
          { _tag: "FactoryReset" },
        ]);
        const after = yield* nextInform(ctx, "after the FactoryReset", 8_000);
        yield* check(
          hasEvent(after, "0 BOOTSTRAP"),
          `Inform carried ${eventCodes(after.inform.event).join(", ")}`,
        );
        const key = after.inform.parameterList.find((p) => p.name === pk)?.value;
        yield* check(key === "", `ParameterKey "${key}" after the reset`);
      }),
  },
  {
    ids: ["§1.4-ScheduleInform", "§1.5-3-SCHEDULED"],
    title:
      "ScheduleInform DelaySeconds 1: Inform 1-3 s later with 3 SCHEDULED and M ScheduleInform",
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const { session } = yield* drive(ctx, [
          { _tag: "ScheduleInform", delaySeconds: 1, commandKey: "si-1" },
        ]);
        const r = session.acsRequests[0]?.response;
        yield* check(
          r?._tag === "ScheduleInformResponse",
          `answered ${r ? describeMessage(r) : "nothing"}`,
        );
        const at = Date.parse(session.startedAt);
        const next = yield* nextInform(ctx, "the scheduled Inform");
        const codes = eventCodes(next.inform.event);
        yield* check(
          hasEvent(next, "3 SCHEDULED") && codes.includes("M ScheduleInform|si-1"),
          `Inform carried ${codes.join(", ")}`,
        );
        const delay = Date.parse(next.receivedAt) - at;
        yield* check(delay >= 900 && delay <= 3_500, `came ${delay} ms after the session started`);
      }),
  },
  {
    ids: ["§1.4-CPE-Inform"],
    title:
      "Inform: DeviceId (OUI 6 hex digits, lengths <= 64), CurrentTime, <= 64 events, typed ParameterList",
    run: (ctx) =>
      Effect.gen(function* () {
        const { inform } = yield* settled(ctx);
        const i = inform.inform;
        yield* check(/^[0-9A-F]{6}$/.test(i.deviceId.oui), `OUI "${i.deviceId.oui}"`);
        for (const [k, v] of Object.entries(i.deviceId))
          yield* check(v.length <= 64, `DeviceId ${k} longer than 64`);
        yield* check(
          i.deviceId.serialNumber !== "" && i.deviceId.manufacturer !== "",
          "empty Manufacturer or SerialNumber",
        );
        yield* check(!Number.isNaN(Date.parse(i.currentTime)), `CurrentTime "${i.currentTime}"`);
        yield* check(i.event.length >= 1 && i.event.length <= 64, `${i.event.length} events`);
        yield* check(i.parameterList.length > 0, "empty ParameterList");
        yield* check(
          i.parameterList.every((p) => p.type !== undefined && p.name !== ""),
          "a ParameterValueStruct without type",
        );
        yield* check(i.retryCount === 0, `RetryCount ${i.retryCount} on a first attempt`);
      }),
  },
  {
    ids: ["§1.4-GetAllQueuedTransfers", "§1.4-CancelTransfer"],
    title:
      "a delayed Download is listed (State 1) by GetAllQueuedTransfers; CancelTransfer removes it",
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        yield* requireListed(ctx, "GetAllQueuedTransfers");
        const url = yield* ctx.acs.serveFile("/queued.bin", new Uint8Array([1, 2, 3]));
        const { answers } = yield* drive(ctx, [
          {
            _tag: "Download",
            commandKey: "q-1",
            fileType: "3 Vendor Configuration File",
            url,
            username: "",
            password: "",
            fileSize: 3,
            targetFileName: "",
            delaySeconds: 60,
            successUrl: "",
            failureUrl: "",
          },
          { _tag: "GetAllQueuedTransfers" },
          { _tag: "CancelTransfer", commandKey: "q-1" },
          { _tag: "GetAllQueuedTransfers" },
        ]);
        yield* answerOf(answers, 0, "DownloadResponse");
        const listed = yield* answerOf(answers, 1, "GetAllQueuedTransfersResponse");
        const t = listed.transferList.find((x) => x.commandKey === "q-1");
        yield* check(
          t !== undefined && t.state === 1 && t.isDownload,
          `queued transfer ${JSON.stringify(t)}`,
        );
        yield* answerOf(answers, 2, "CancelTransferResponse");
        const after = yield* answerOf(answers, 3, "GetAllQueuedTransfersResponse");
        yield* check(
          !after.transferList.some((x) => x.commandKey === "q-1"),
          "still listed after CancelTransfer",
        );
      }),
  },
  optionalShape("GetQueuedTransfers", { _tag: "GetQueuedTransfers" }, "GetQueuedTransfersResponse"),
  listedOrRefused("SetVouchers", { _tag: "SetVouchers", voucherList: [] }, "SetVouchersResponse"),
  listedOrRefused("GetOptions", { _tag: "GetOptions", optionName: "" }, "GetOptionsResponse"),
];
