/**
 * Scenarios of transfers (§1.4 Download/Upload, §1.13) and of what rides on them: the CPE's
 * TransferComplete, `7 TRANSFER COMPLETE` retention, HoldRequests (V5).
 * @module
 */
import type { CwmpMessage, TransferComplete } from "@cpekit/core";
import { Effect, Fiber } from "effect";
import type { InformRecord } from "../../acs-session.js";
import type { Scenario, ScenarioContext } from "../scenario.js";
import { check, eventCodes, fail, hasEvent, nextInform } from "../scenario-checks.js";
import { driveOne, settled, wake } from "../session-driver.js";

const configType = "3 Vendor Configuration File";

/** TransferComplete FaultCodes allowed by the XSD (§1.13). */
export const transferCompleteFaultCodes = new Set([
  0, 9001, 9002, 9010, 9011, 9012, 9014, 9015, 9016, 9017, 9018, 9019, 9020,
]);

const download = (commandKey: string, url: string, fileSize: number): CwmpMessage => ({
  _tag: "Download",
  commandKey,
  fileType: configType,
  url,
  username: "",
  password: "",
  fileSize,
  targetFileName: "",
  delaySeconds: 0,
  successUrl: "",
  failureUrl: "",
});

const isDateTime = (t: string) => !Number.isNaN(Date.parse(t));

/** Starts a Download of a served file; yields its response. */
const startDownload = (
  ctx: ScenarioContext,
  commandKey: string,
  path = "/config.xml",
  served = true,
) =>
  Effect.gen(function* () {
    const bytes = new TextEncoder().encode("<config/>");
    const url = served ? yield* ctx.acs.serveFile(path, bytes) : `${ctx.acs.baseUrl}${path}`;
    return yield* driveOne(ctx, download(commandKey, url, bytes.length), "DownloadResponse");
  });

/** The next TransferComplete the device sends, with the Inform of its session. */
const nextTransferComplete = (ctx: ScenarioContext, timeoutMs = 8_000) =>
  Effect.gen(function* () {
    const r = yield* Effect.either(
      ctx.acs.nextCpeRequest({
        deviceId: ctx.device.deviceId,
        method: "TransferComplete",
        timeoutMs,
      }),
    );
    if (r._tag === "Left")
      return yield* fail(`no TransferComplete within ${timeoutMs} ms (${r.left.reason})`);
    return r.right.message as TransferComplete;
  });

/** The Inform of the session with id `sessionId`, among those not yet taken. */
const informOfSession = (ctx: ScenarioContext, sessionId: string) =>
  Effect.gen(function* () {
    for (let i = 0; i < 5; i++) {
      const r: InformRecord = yield* nextInform(ctx, "the TransferComplete session");
      if (r.sessionId === sessionId) return r;
    }
    return yield* fail("the TransferComplete session's Inform was not found");
  });

/** The scenarios of this file. */
export const transferScenarios: readonly Scenario[] = [
  {
    ids: [
      "§1.4-Download",
      "§1.4-CPE-TransferComplete",
      "§1.5-7-TRANSFER-COMPLETE",
      "§1.13-Download-Async",
    ],
    title:
      "Download: Status 1 then a session with 7 TRANSFER COMPLETE + M Download and TransferComplete (FaultCode 0, times)",
    timeoutMs: 15_000,
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const r = yield* startDownload(ctx, "dl-1");
        yield* check(r.status === 0 || r.status === 1, `Status ${r.status}`);
        if (r.status === 0) {
          yield* check(
            isDateTime(r.startTime) && isDateTime(r.completeTime),
            "Status 0 without times",
          );
          return;
        }
        const tc = yield* nextTransferComplete(ctx);
        yield* check(tc.commandKey === "dl-1", `CommandKey "${tc.commandKey}"`);
        yield* check(
          tc.faultStruct.faultCode === 0,
          `FaultCode ${tc.faultStruct.faultCode} (${tc.faultStruct.faultString})`,
        );
        yield* check(
          isDateTime(tc.startTime) && isDateTime(tc.completeTime),
          `times ${tc.startTime} / ${tc.completeTime}`,
        );
        const s = yield* ctx.acs.nextSession({ deviceId: ctx.device.deviceId, timeoutMs: 5_000 });
        const inform = yield* informOfSession(ctx, s.sessionId);
        const codes = eventCodes(inform.inform.event);
        yield* check(hasEvent(inform, "7 TRANSFER COMPLETE"), `Inform carried ${codes.join(", ")}`);
        yield* check(codes.includes("M Download|dl-1"), `Inform carried ${codes.join(", ")}`);
      }),
  },
  {
    ids: ["§1.13-TransferComplete-Faults"],
    title:
      "a Download of a missing file ends in a TransferComplete with a non-zero FaultCode of the allowed subset",
    timeoutMs: 15_000,
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        yield* startDownload(ctx, "dl-404", "/missing.bin", false);
        const tc = yield* nextTransferComplete(ctx);
        const code = tc.faultStruct.faultCode;
        yield* check(
          code !== 0 && transferCompleteFaultCodes.has(code),
          `FaultCode ${code} (${tc.faultStruct.faultString})`,
        );
        yield* check(tc.faultStruct.faultString !== "", "empty FaultString");
      }),
  },
  {
    ids: ["§1.5-7-TRANSFER-COMPLETE"],
    title: "TransferComplete sent again in a later session when the first one got no response",
    timeoutMs: 20_000,
    settings: { "Device.ManagementServer.CWMPRetryMinimumWaitInterval": "1" },
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        ctx.acs.inject(
          { kind: "drop" },
          { message: "TransferComplete", deviceId: ctx.device.deviceId },
        );
        yield* startDownload(ctx, "dl-lost");
        // A dropped request is not processed: the ACS sees only the resent one as a request.
        const again = yield* nextTransferComplete(ctx, 10_000);
        yield* check(again.commandKey === "dl-lost", `resent CommandKey "${again.commandKey}"`);
        const dropped = ctx.acs.transcript
          .entries()
          .filter(
            (e) => e.request.message === "TransferComplete" && e.response.status === "dropped",
          );
        yield* check(
          dropped.length === 1,
          `${dropped.length} dropped TransferComplete before the resent one`,
        );
      }),
  },
  {
    ids: ["V5"],
    title:
      "HoldRequests=true: no TransferComplete in that session, ACS requests still answered; sent later",
    timeoutMs: 20_000,
    // A CPE may post its held request right after the ACS's final 204 (the hold is over), which
    // this ACS refuses as outside a session: the request then comes in a retried session.
    settings: { "Device.ManagementServer.CWMPRetryMinimumWaitInterval": "1" },
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        // Every answer of the next two sessions (the Download's, then the one announcing its
        // completion) holds the CPE's requests.
        ctx.acs.inject(
          { kind: "holdRequests" },
          { scope: "session", deviceId: ctx.device.deviceId, times: 2 },
        );
        yield* startDownload(ctx, "dl-held");
        const call = yield* Effect.fork(
          ctx.acs.call(ctx.device.deviceId, { _tag: "GetRPCMethods" }, { timeoutMs: 8_000 }),
        );
        const held = yield* ctx.acs.nextSession({
          deviceId: ctx.device.deviceId,
          timeoutMs: 8_000,
        });
        yield* check(
          held.inform.inform.event.some((e) => e.eventCode === "7 TRANSFER COMPLETE"),
          `the session after the download carried ${eventCodes(held.inform.inform.event).join(", ")}`,
        );
        const v5 = held.violations.filter((v) => v.startsWith("V5"));
        yield* check(v5.length === 0, v5.join("; "));
        yield* check(
          held.cpeRequests.length === 0,
          `${held.cpeRequests.map((m) => m._tag).join(", ")} sent while held`,
        );
        yield* check(held.outcome === "completed", `the held session ended ${held.outcome}`);
        const answer = yield* Fiber.join(call);
        yield* check(
          answer._tag === "GetRPCMethodsResponse",
          `GetRPCMethods answered ${answer._tag} while held`,
        );
        yield* wake(ctx);
        const tc = yield* nextTransferComplete(ctx, 10_000);
        yield* check(tc.commandKey === "dl-held", `CommandKey "${tc.commandKey}"`);
      }),
  },
  {
    ids: ["§1.4-ScheduleDownload", "§1.13-ScheduleDownload-Windows"],
    title:
      "ScheduleDownload with a window opening at +2 s: transfer not before it, TransferComplete with M ScheduleDownload",
    timeoutMs: 15_000,
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const bytes = new TextEncoder().encode("<config/>");
        const url = yield* ctx.acs.serveFile("/scheduled.xml", bytes);
        const asked = Date.now();
        const r = yield* driveOne(
          ctx,
          {
            _tag: "ScheduleDownload",
            commandKey: "sd-1",
            fileType: configType,
            url,
            username: "",
            password: "",
            fileSize: bytes.length,
            targetFileName: "",
            timeWindowList: [
              {
                windowStart: 2,
                windowEnd: 60,
                windowMode: "1 At Any Time",
                userMessage: "",
                maxRetries: 0,
              },
            ],
          },
          "ScheduleDownloadResponse",
        );
        yield* check(r._tag === "ScheduleDownloadResponse", "no ScheduleDownloadResponse");
        const tc = yield* nextTransferComplete(ctx);
        yield* check(
          tc.commandKey === "sd-1" && tc.faultStruct.faultCode === 0,
          `TransferComplete ${tc.commandKey} fault ${tc.faultStruct.faultCode}`,
        );
        const fetched = ctx.acs.transcript
          .entries()
          .find((e) => e.kind === "fileDownload" && e.url.startsWith("/scheduled.xml"));
        const at = fetched === undefined ? Number.NaN : Date.parse(fetched.startedAt);
        yield* check(
          at - asked >= 1_900,
          `the file was fetched ${at - asked} ms after the request, before the window`,
        );
        const s = yield* ctx.acs.nextSession({ deviceId: ctx.device.deviceId, timeoutMs: 5_000 });
        const inform = yield* informOfSession(ctx, s.sessionId);
        const codes = eventCodes(inform.inform.event);
        yield* check(
          codes.includes("M ScheduleDownload|sd-1"),
          `Inform carried ${codes.join(", ")}`,
        );
      }),
  },
  {
    ids: ["§1.4-Upload"],
    title: "Upload: the file arrives at the URL and TransferComplete reports FaultCode 0",
    timeoutMs: 15_000,
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const url = ctx.acs.uploadUrl("config.xml");
        const r = yield* driveOne(
          ctx,
          {
            _tag: "Upload",
            commandKey: "up-1",
            fileType: "1 Vendor Configuration File",
            url,
            username: "",
            password: "",
            delaySeconds: 0,
          },
          "UploadResponse",
        ).pipe(
          Effect.catchTag("ScenarioFailed", (e) =>
            e.reason.includes("fault 9000") ? fail("Upload not supported (9000)") : Effect.fail(e),
          ),
        );
        yield* check(r.status === 0 || r.status === 1, `Status ${r.status}`);
        const up = yield* ctx.acs.nextUpload({ timeoutMs: 8_000 });
        yield* check(up.bytes.length > 0, "empty upload");
        if (r.status === 1) {
          const tc = yield* nextTransferComplete(ctx);
          yield* check(
            tc.commandKey === "up-1" && tc.faultStruct.faultCode === 0,
            `TransferComplete ${tc.commandKey} ${tc.faultStruct.faultCode}`,
          );
        }
      }),
  },
];
