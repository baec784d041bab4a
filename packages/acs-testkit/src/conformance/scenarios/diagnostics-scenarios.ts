/**
 * Scenarios of the IP diagnostics of TR-181 `Device.IP.Diagnostics.` (§1.12, TR-143) and of
 * their event `8 DIAGNOSTICS COMPLETE` (§1.5): DiagnosticsState=Requested is carried out after
 * the session that set it, a new session reports the event, and the results are then there.
 * Targets are on loopback only: 127.0.0.1 for IPPing, the test ACS's file shelf for the
 * download and upload. A device without the diagnostics objects skips (they are optional).
 * @module
 */
import type { CwmpMessage, ParameterValueStruct } from "@cpekit/core";
import { Effect } from "effect";
import type { Scenario, ScenarioContext } from "../scenario.js";
import { check, describeMessage, eventCodes, fail, hasEvent, skip } from "../scenario-checks.js";
import { drive, settled } from "../session-driver.js";

const DIAG = "Device.IP.Diagnostics.";
const PING = `${DIAG}IPPing.`;
const DOWNLOAD = `${DIAG}DownloadDiagnostics.`;
const UPLOAD = `${DIAG}UploadDiagnostics.`;
const COMPLETE_EVENT = "8 DIAGNOSTICS COMPLETE";

/** The bytes the download test fetches from the test ACS. */
const DOWNLOAD_BYTES = 64 * 1024;
/** The bytes the upload test sends. */
const UPLOAD_BYTES = 32 * 1024;

const text = (name: string, value: string): ParameterValueStruct => ({
  name,
  value,
  type: "string",
});
const unsigned = (name: string, value: number): ParameterValueStruct => ({
  name,
  value: String(value),
  type: "unsignedInt",
});

/** `name → value` of a GPV answer, or a failure naming what came instead. */
const valuesOf = (answer: CwmpMessage | undefined, what: string) =>
  answer?._tag === "GetParameterValuesResponse"
    ? Effect.succeed(new Map(answer.parameterList.map((p) => [p.name, p.value] as const)))
    : fail(`${what} answered ${answer ? describeMessage(answer) : "nothing"}`);

/** Skips unless the device has every one of `objects` (GPV of their DiagnosticsState). */
const requireObjects = (ctx: ScenarioContext, objects: readonly string[]) =>
  Effect.gen(function* () {
    const { answers } = yield* drive(ctx, [
      { _tag: "GetParameterValues", parameterNames: objects.map((o) => `${o}DiagnosticsState`) },
    ]);
    if (answers[0]?._tag !== "GetParameterValuesResponse")
      return yield* skip(`no ${objects.join(", ")} (optional objects of TR-181)`);
  });

/**
 * Sets `parameters` with DiagnosticsState=Requested of `object`, expects the session to end
 * without the event, then a new session whose Inform carries `8 DIAGNOSTICS COMPLETE`, and
 * returns the values of `results` read in the session after that.
 */
const runTest = (
  ctx: ScenarioContext,
  object: string,
  parameters: readonly ParameterValueStruct[],
  results: readonly string[],
) =>
  Effect.gen(function* () {
    const requested = yield* drive(ctx, [
      {
        _tag: "SetParameterValues",
        parameterList: [...parameters, text(`${object}DiagnosticsState`, "Requested")],
        parameterKey: "diagnostics",
      },
    ]);
    const set = requested.answers[0];
    yield* check(
      set?._tag === "SetParameterValuesResponse",
      `SPV of DiagnosticsState=Requested answered ${set ? describeMessage(set) : "nothing"}`,
    );
    yield* check(
      !hasEvent(requested.inform, COMPLETE_EVENT),
      "8 DIAGNOSTICS COMPLETE came before the test was requested",
    );
    // The test runs after that session; the device then opens one of its own to report it.
    const reported = yield* ctx.acs
      .nextInform({ deviceId: ctx.device.deviceId, timeoutMs: 20_000 })
      .pipe(
        Effect.catchIf(
          (e) => e.reason === "Timeout",
          () => fail(`no session with 8 DIAGNOSTICS COMPLETE within 20 s of ${object} Requested`),
        ),
      );
    yield* check(
      reported.sessionId !== requested.session.sessionId,
      "8 DIAGNOSTICS COMPLETE came in the session that requested the test",
    );
    yield* check(
      hasEvent(reported, COMPLETE_EVENT),
      `the device's next Inform carried ${eventCodes(reported.inform.event).join(", ")}, not 8 DIAGNOSTICS COMPLETE`,
    );
    yield* ctx.acs.nextSession({ deviceId: ctx.device.deviceId, timeoutMs: 5_000 });
    const read = yield* drive(ctx, [
      {
        _tag: "GetParameterValues",
        parameterNames: [`${object}DiagnosticsState`, ...results.map((r) => `${object}${r}`)],
      },
    ]);
    const values = yield* valuesOf(read.answers[0], `GPV of ${object}`);
    return (name: string) => values.get(`${object}${name}`) ?? "";
  });

/** A dateTime parsed to epoch ms (microseconds dropped), NaN when it is none. */
const time = (value: string) => Date.parse(value);

const ordered = (names: readonly string[], get: (n: string) => string) =>
  Effect.gen(function* () {
    const times = names.map((n) => time(get(n)));
    yield* check(
      times.every((t) => !Number.isNaN(t) && t > Date.UTC(2000, 0, 1)),
      `times ${names.map((n) => `${n}=${get(n)}`).join(", ")} are not all known`,
    );
    for (let i = 1; i < times.length; i++)
      yield* check(
        (times[i - 1] as number) <= (times[i] as number),
        `${names[i - 1]}=${get(names[i - 1] as string)} is after ${names[i]}=${get(names[i] as string)}`,
      );
  });

/** The scenarios of this file. */
export const diagnosticsScenarios: readonly Scenario[] = [
  {
    ids: ["§1.12-Diagnostics", "§1.5-8-DIAGNOSTICS-COMPLETE"],
    title:
      "IPPing of 127.0.0.1, DownloadDiagnostics and UploadDiagnostics against the test ACS: Requested → session ends → new session with 8 DIAGNOSTICS COMPLETE → Complete with plausible results; writing an input sets None; an unresolvable host gives Error_CannotResolveHostName",
    timeoutMs: 90_000,
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        yield* requireObjects(ctx, [PING, DOWNLOAD]);

        const ping = yield* runTest(
          ctx,
          PING,
          [
            text(`${PING}Host`, "127.0.0.1"),
            unsigned(`${PING}NumberOfRepetitions`, 3),
            unsigned(`${PING}Timeout`, 2000),
          ],
          [
            "SuccessCount",
            "FailureCount",
            "AverageResponseTime",
            "MinimumResponseTime",
            "MaximumResponseTime",
          ],
        );
        yield* check(
          ping("DiagnosticsState") === "Complete",
          `IPPing of 127.0.0.1 ended ${ping("DiagnosticsState")}`,
        );
        const [ok, failed, avg, min, max] = [
          "SuccessCount",
          "FailureCount",
          "AverageResponseTime",
          "MinimumResponseTime",
          "MaximumResponseTime",
        ].map((n) => Number(ping(n)));
        yield* check(
          ok === 3 && failed === 0,
          `IPPing of 127.0.0.1: SuccessCount ${ok}, FailureCount ${failed} (3 repetitions on loopback)`,
        );
        yield* check(
          (min as number) <= (avg as number) && (avg as number) <= (max as number),
          `IPPing times min ${min} avg ${avg} max ${max} out of order`,
        );

        // Writing an input parameter sets DiagnosticsState back to None (TR-181).
        const rewrite = yield* drive(ctx, [
          {
            _tag: "SetParameterValues",
            parameterList: [unsigned(`${PING}Timeout`, 1500)],
            parameterKey: "diagnostics",
          },
          { _tag: "GetParameterValues", parameterNames: [`${PING}DiagnosticsState`] },
        ]);
        const afterWrite = yield* valuesOf(rewrite.answers[1], "GPV after writing Timeout");
        yield* check(
          afterWrite.get(`${PING}DiagnosticsState`) === "None",
          `after writing IPPing.Timeout DiagnosticsState is ${afterWrite.get(`${PING}DiagnosticsState`)}, not None`,
        );

        const url = yield* ctx.acs.serveFile(
          "/diagnostics/download.bin",
          new Uint8Array(DOWNLOAD_BYTES).fill(0x5a),
        );
        const download = yield* runTest(
          ctx,
          DOWNLOAD,
          [text(`${DOWNLOAD}DownloadURL`, url)],
          [
            "TestBytesReceived",
            "TotalBytesReceived",
            "ROMTime",
            "BOMTime",
            "EOMTime",
            "TCPOpenRequestTime",
            "TCPOpenResponseTime",
          ],
        );
        yield* check(
          download("DiagnosticsState") === "Complete",
          `DownloadDiagnostics of ${url} ended ${download("DiagnosticsState")}`,
        );
        yield* check(
          Number(download("TestBytesReceived")) === DOWNLOAD_BYTES,
          `TestBytesReceived ${download("TestBytesReceived")}, the file has ${DOWNLOAD_BYTES}`,
        );
        yield* check(
          Number(download("TotalBytesReceived")) >= DOWNLOAD_BYTES,
          `TotalBytesReceived ${download("TotalBytesReceived")} < TestBytesReceived`,
        );
        yield* ordered(
          ["TCPOpenRequestTime", "TCPOpenResponseTime", "ROMTime", "BOMTime", "EOMTime"],
          download,
        );

        const { answers: hasUpload } = yield* drive(ctx, [
          { _tag: "GetParameterValues", parameterNames: [`${UPLOAD}DiagnosticsState`] },
        ]);
        if (hasUpload[0]?._tag === "GetParameterValuesResponse") {
          const upload = yield* runTest(
            ctx,
            UPLOAD,
            [
              text(`${UPLOAD}UploadURL`, ctx.acs.uploadUrl("diagnostics.bin")),
              unsigned(`${UPLOAD}TestFileLength`, UPLOAD_BYTES),
            ],
            ["TestBytesSent", "ROMTime", "BOMTime", "EOMTime"],
          );
          yield* check(
            upload("DiagnosticsState") === "Complete",
            `UploadDiagnostics ended ${upload("DiagnosticsState")}`,
          );
          yield* check(
            Number(upload("TestBytesSent")) === UPLOAD_BYTES,
            `TestBytesSent ${upload("TestBytesSent")}, TestFileLength was ${UPLOAD_BYTES}`,
          );
          const received = ctx.acs.uploads().find((u) => u.path.endsWith("/diagnostics.bin"));
          yield* check(
            received?.bytes.byteLength === UPLOAD_BYTES,
            `the test ACS received ${received?.bytes.byteLength ?? "no"} bytes of the upload`,
          );
          yield* ordered(["ROMTime", "BOMTime", "EOMTime"], upload);
        }

        const unresolvable = yield* runTest(
          ctx,
          PING,
          [text(`${PING}Host`, "nowhere.invalid"), unsigned(`${PING}NumberOfRepetitions`, 1)],
          [],
        );
        yield* check(
          unresolvable("DiagnosticsState") === "Error_CannotResolveHostName",
          `IPPing of nowhere.invalid ended ${unresolvable("DiagnosticsState")}, not Error_CannotResolveHostName`,
        );
      }),
  },
];
