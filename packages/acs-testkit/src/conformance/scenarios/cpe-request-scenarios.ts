/**
 * Scenarios of the CPE→ACS methods of §1.4 the device makes on its own initiative (Kicked,
 * RequestDownload, AutonomousTransferComplete, its GetRPCMethods) and of their §1.5 events. The
 * device is asked through `RunningDevice.requestFromCpe` (the API its application uses); a
 * device without it is skipped. Each event-carrying request is dropped once by the ACS: the
 * device must inform with the event again and resend the request, since only the request's
 * response delivers it.
 * @module
 */
import type {
  AutonomousTransferComplete,
  CwmpMessage,
  Kicked,
  RequestDownload,
} from "@cpekit/core";
import { Effect, Fiber } from "effect";
import type { SessionRecord } from "../../acs-session.js";
import type { CpeRequestOutcome, CpeRequestTrigger } from "../device-under-test.js";
import type { Scenario, ScenarioContext } from "../scenario.js";
import {
  check,
  describeMessage,
  eventCodes,
  fail,
  hasEvent,
  nextInform,
  noInformWithin,
  skip,
} from "../scenario-checks.js";
import { drive, settled, wake } from "../session-driver.js";
import { managementServer as ms } from "./parameter-paths.js";

/** Retry waits of about a second, so a dropped request comes back within the scenario. */
const fastRetry = { "Device.ManagementServer.CWMPRetryMinimumWaitInterval": "1" };

/** Asks the device for `request` in a fiber (its answer comes once a session carried it). */
const requestFromCpe = (ctx: ScenarioContext, request: CpeRequestTrigger) =>
  Effect.gen(function* () {
    const make = ctx.device.requestFromCpe;
    if (make === undefined)
      return yield* skip("the device cannot be asked for CPE requests (no requestFromCpe)");
    return yield* Effect.fork(make(request));
  });

/** The outcome of a forked request, failing when none comes within `timeoutMs`. */
const outcomeOf = (
  fiber: Fiber.RuntimeFiber<CpeRequestOutcome, unknown>,
  what: string,
  timeoutMs = 8_000,
) =>
  Fiber.join(fiber).pipe(
    Effect.timeoutFail({
      duration: timeoutMs,
      onTimeout: () => new Error("timeout"),
    }),
    Effect.catchAll((e) =>
      fail(
        `${what}: ${e instanceof Error && e.message === "timeout" ? `no answer within ${timeoutMs} ms` : String(e)}`,
      ),
    ),
  );

/** The answer an outcome carries, failing unless it is tagged `tag`. */
const answerTagged = <T extends CwmpMessage["_tag"]>(outcome: CpeRequestOutcome, tag: T) =>
  outcome.outcome === "answered" && outcome.answer._tag === tag
    ? Effect.succeed(outcome.answer as Extract<CwmpMessage, { _tag: T }>)
    : fail(
        `the device's application got ${outcome.outcome === "answered" ? describeMessage(outcome.answer) : "no report (filtered)"}, expected ${tag}`,
      );

/** The next session of the device that completed (skipping failed ones), within three. */
const completedSession = (ctx: ScenarioContext) =>
  Effect.gen(function* () {
    for (let i = 0; i < 3; i++) {
      const s: SessionRecord = yield* ctx.acs.nextSession({
        deviceId: ctx.device.deviceId,
        timeoutMs: 10_000,
      });
      if (s.outcome === "completed") return s;
    }
    return yield* fail("no completed session in three");
  });

/**
 * The shared script of an event-carrying request: the ACS drops the first copy of `request`;
 * the device must inform with `event` twice (the retry too) and send `request` again, equal to
 * what was asked, after the Inform; once answered it is sent no more.
 */
const deliveredOnlyByResponse = (
  ctx: ScenarioContext,
  request: Kicked | RequestDownload | AutonomousTransferComplete,
  event: string,
) =>
  Effect.gen(function* () {
    ctx.acs.inject({ kind: "drop" }, { message: request._tag, deviceId: ctx.device.deviceId });
    const fiber = yield* requestFromCpe(ctx, request);
    const first = yield* nextInform(ctx, `the session announcing ${request._tag}`);
    yield* check(
      hasEvent(first, event),
      `the Inform carried ${eventCodes(first.inform.event).join(", ")}, not ${event}`,
    );
    const retry = yield* nextInform(ctx, `the retry after the dropped ${request._tag}`, 10_000);
    yield* check(
      hasEvent(retry, event),
      `the retry's Inform carried ${eventCodes(retry.inform.event).join(", ")}, not ${event} (delivered before its response)`,
    );
    const session = yield* completedSession(ctx);
    const sent = session.cpeRequests.filter((m) => m._tag === request._tag);
    yield* check(sent.length === 1, `${sent.length} ${request._tag} in the retried session`);
    yield* check(
      JSON.stringify(sent[0]) === JSON.stringify(request),
      `sent ${JSON.stringify(sent[0])}, asked for ${JSON.stringify(request)}`,
    );
    const dropped = ctx.acs.transcript
      .entries()
      .filter((e) => e.request.message === request._tag && e.response.status === "dropped");
    yield* check(dropped.length === 1, `${dropped.length} dropped ${request._tag}`);
    const outcome = yield* outcomeOf(fiber, `${request._tag} asked of the device`);
    // Delivered: a later session carries neither the event nor the request.
    const later = yield* drive(ctx, []);
    yield* check(
      !hasEvent(later.inform, event),
      `${event} informed again after its response: ${eventCodes(later.inform.inform.event).join(", ")}`,
    );
    yield* check(
      !later.session.cpeRequests.some((m) => m._tag === request._tag),
      `${request._tag} sent again after its response`,
    );
    return outcome;
  });

const policy = (ctx: ScenarioContext, name: string) =>
  ms(ctx, `AutonomousTransferCompletePolicy.${name}`);

/** Sets the device's AutonomousTransferCompletePolicy, skipping a device without one. */
const setPolicy = (
  ctx: ScenarioContext,
  values: {
    enable: boolean;
    transferType: string;
    resultType: string;
    fileTypes: string;
  },
) =>
  Effect.gen(function* () {
    const { answers } = yield* drive(ctx, [
      {
        _tag: "SetParameterValues",
        parameterList: [
          { name: policy(ctx, "Enable"), value: String(values.enable), type: "boolean" },
          { name: policy(ctx, "TransferTypeFilter"), value: values.transferType, type: "string" },
          { name: policy(ctx, "ResultTypeFilter"), value: values.resultType, type: "string" },
          { name: policy(ctx, "FileTypeFilter"), value: values.fileTypes, type: "string" },
        ],
        parameterKey: "atc-policy",
      },
    ]);
    const a = answers[0];
    if (a?._tag === "Fault" && a.detail?.faultCode === 9005)
      return yield* skip("the device has no AutonomousTransferCompletePolicy");
    yield* check(
      a?._tag === "SetParameterValuesResponse",
      `setting AutonomousTransferCompletePolicy answered ${a ? describeMessage(a) : "nothing"}`,
    );
  });

const autonomous = (
  over: Partial<AutonomousTransferComplete> = {},
): AutonomousTransferComplete => ({
  _tag: "AutonomousTransferComplete",
  announceUrl: "",
  transferUrl: "http://127.0.0.1:9/firmware.bin",
  isDownload: true,
  fileType: "1 Firmware Upgrade Image",
  fileSize: 4096,
  targetFileName: "firmware.bin",
  faultStruct: { faultCode: 0, faultString: "" },
  startTime: "2026-01-01T00:00:00Z",
  completeTime: "2026-01-01T00:00:05Z",
  ...over,
});

/** Asks for `request` and expects the device not to report it: no Inform, "notReported". */
const notReported = (ctx: ScenarioContext, request: AutonomousTransferComplete, why: string) =>
  Effect.gen(function* () {
    const fiber = yield* requestFromCpe(ctx, request);
    const outcome = yield* outcomeOf(fiber, why, 5_000);
    yield* check(outcome.outcome === "notReported", `${why}: reported to the application`);
    yield* noInformWithin(ctx, 1_500, `${why}: reported anyway`);
  });

/** The scenarios of this file. */
export const cpeRequestScenarios: readonly Scenario[] = [
  {
    ids: ["§1.4-CPE-Kicked", "§1.5-5-KICKED"],
    title:
      "Kicked: Inform with 5 KICKED, then Kicked (Command, Referer, Arg, Next); resent with the event until KickedResponse, whose NextURL reaches the application",
    timeoutMs: 25_000,
    settings: fastRetry,
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const kicked: Kicked = {
          _tag: "Kicked",
          command: "reset-password",
          referer: "http://127.0.0.1/portal",
          arg: "user=alice",
          next: "http://127.0.0.1/portal/done",
        };
        const outcome = yield* deliveredOnlyByResponse(ctx, kicked, "5 KICKED");
        const answer = yield* answerTagged(outcome, "KickedResponse");
        // The testkit ACS answers the Next it was given as NextURL.
        yield* check(
          answer.nextUrl === kicked.next,
          `the application got NextURL "${answer.nextUrl}", the ACS sent "${kicked.next}"`,
        );
      }),
  },
  {
    ids: ["§1.4-CPE-RequestDownload", "§1.5-9-REQUEST-DOWNLOAD"],
    title:
      "RequestDownload: Inform with 9 REQUEST DOWNLOAD, then FileType and FileTypeArg; resent with the event until RequestDownloadResponse",
    timeoutMs: 25_000,
    settings: fastRetry,
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const outcome = yield* deliveredOnlyByResponse(
          ctx,
          {
            _tag: "RequestDownload",
            fileType: "3 Vendor Configuration File",
            fileTypeArg: [
              { name: "Version", value: "2" },
              { name: "Reason", value: "factory" },
            ],
          },
          "9 REQUEST DOWNLOAD",
        );
        yield* answerTagged(outcome, "RequestDownloadResponse");
      }),
  },
  {
    ids: ["§1.4-CPE-AutonomousTransferComplete", "§1.5-10-AUTONOMOUS-TRANSFER-COMPLETE"],
    title:
      "AutonomousTransferComplete (policy on): Inform with 10 AUTONOMOUS TRANSFER COMPLETE, every field as done; resent until its response",
    timeoutMs: 25_000,
    settings: fastRetry,
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        yield* setPolicy(ctx, {
          enable: true,
          transferType: "Both",
          resultType: "Both",
          fileTypes: "1 Firmware Upgrade Image,4 Vendor Log File",
        });
        const outcome = yield* deliveredOnlyByResponse(
          ctx,
          autonomous({
            isDownload: false,
            fileType: "4 Vendor Log File",
            transferUrl: "http://127.0.0.1:9/logs/upload",
            targetFileName: "",
            faultStruct: { faultCode: 9011, faultString: "upload refused" },
          }),
          "10 AUTONOMOUS TRANSFER COMPLETE",
        );
        yield* answerTagged(outcome, "AutonomousTransferCompleteResponse");
      }),
  },
  {
    ids: ["§1.13-Autonomous"],
    title:
      "AutonomousTransferCompletePolicy: transfers outside TransferTypeFilter, ResultTypeFilter or FileTypeFilter, or with Enable false, are not reported; a matching one is",
    timeoutMs: 30_000,
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const on = {
          enable: true,
          transferType: "Download",
          resultType: "Success",
          fileTypes: "1 Firmware Upgrade Image",
        };
        yield* setPolicy(ctx, on);
        yield* notReported(
          ctx,
          autonomous({ isDownload: false }),
          "an upload with TransferTypeFilter Download",
        );
        yield* notReported(
          ctx,
          autonomous({ faultStruct: { faultCode: 9010, faultString: "failed" } }),
          "a failed download with ResultTypeFilter Success",
        );
        yield* notReported(
          ctx,
          autonomous({ fileType: "2 Web Content" }),
          "a file type FileTypeFilter does not list",
        );
        const matching = autonomous();
        const fiber = yield* requestFromCpe(ctx, matching);
        const inform = yield* nextInform(ctx, "the report of a transfer the policy includes");
        yield* check(
          hasEvent(inform, "10 AUTONOMOUS TRANSFER COMPLETE"),
          `the Inform carried ${eventCodes(inform.inform.event).join(", ")}`,
        );
        yield* answerTagged(
          yield* outcomeOf(fiber, "the matching transfer"),
          "AutonomousTransferCompleteResponse",
        );
        yield* completedSession(ctx);
        yield* setPolicy(ctx, { ...on, enable: false });
        yield* notReported(ctx, matching, "a matching transfer with Enable false");
      }),
  },
  {
    ids: ["§1.4-CPE-GetRPCMethods"],
    title:
      "the CPE's GetRPCMethods goes after the Inform of its next session; the ACS's MethodList reaches the application",
    timeoutMs: 15_000,
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const fiber = yield* requestFromCpe(ctx, { _tag: "GetRPCMethods" });
        yield* wake(ctx);
        const session = yield* completedSession(ctx);
        const sent = session.cpeRequests.map((m) => m._tag);
        yield* check(
          sent.includes("GetRPCMethods"),
          `the next session carried ${sent.length === 0 ? "no CPE request" : sent.join(", ")}, not GetRPCMethods`,
        );
        const answer = yield* answerTagged(
          yield* outcomeOf(fiber, "GetRPCMethods asked of the device"),
          "GetRPCMethodsResponse",
        );
        yield* check(
          JSON.stringify(answer.methodList) === JSON.stringify(ctx.acs.profile.rpcMethods),
          `the application got [${answer.methodList.join(", ")}], the ACS sent [${ctx.acs.profile.rpcMethods.join(", ")}]`,
        );
        // The request leaves the queue with its answer (GetRPCMethods answered once).
        const later = yield* drive(ctx, []);
        yield* check(
          !later.session.cpeRequests.some((m) => m._tag === "GetRPCMethods"),
          "GetRPCMethods sent again after its response",
        );
      }),
  },
];
