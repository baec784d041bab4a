/**
 * Scenarios of the §1.14 transfer fault codes: a Download or Upload that cannot succeed must
 * end in the fault that names why (in its response or the later TransferComplete), and the
 * transfer RPCs refuse what they cannot do (9004 a full queue, 9021 cancelling a transfer under
 * way). Every file server here is the test ACS (slowed down or broken off on purpose), a closed
 * port on 127.0.0.1, or a multicast group address no packet is meant to reach.
 * @module
 */
import type { CwmpMessage } from "@cpekit/core";
import { Effect } from "effect";
import type { FileDelivery } from "../../file-shelf.js";
import type { Scenario, ScenarioContext } from "../scenario.js";
import { check, describeMessage, fail, skip } from "../scenario-checks.js";
import { drive, settled } from "../session-driver.js";

const download = (
  url: string,
  commandKey: string,
  credentials = { username: "", password: "" },
  over: { readonly fileSize?: number; readonly delaySeconds?: number } = {},
): CwmpMessage => ({
  _tag: "Download",
  commandKey,
  fileType: "3 Vendor Configuration File",
  url,
  ...credentials,
  fileSize: over.fileSize ?? 0,
  targetFileName: "",
  delaySeconds: over.delaySeconds ?? 0,
  successUrl: "",
  failureUrl: "",
});

const noCredentials = { username: "", password: "" };

/** A ScheduleDownload with one window `[start, end]` seconds from now, "2 Immediately". */
const scheduleDownload = (
  url: string,
  commandKey: string,
  start: number,
  end: number,
): CwmpMessage => ({
  _tag: "ScheduleDownload",
  commandKey,
  fileType: "3 Vendor Configuration File",
  url,
  ...noCredentials,
  fileSize: 0,
  targetFileName: "",
  timeWindowList: [
    {
      windowStart: start,
      windowEnd: end,
      windowMode: "2 Immediately",
      userMessage: "",
      maxRetries: 0,
    },
  ],
});

/**
 * Starts `request` and yields the fault code the transfer ended with: the Download's own
 * fault, or the FaultCode of the TransferComplete that follows a Status 1 (0: success).
 */
export const transferFault = (ctx: ScenarioContext, request: CwmpMessage) =>
  Effect.gen(function* () {
    const { answers } = yield* drive(ctx, [request]);
    const a = answers[0];
    if (a?._tag === "Fault") return a.detail?.faultCode ?? -1;
    if (
      a?._tag !== "DownloadResponse" &&
      a?._tag !== "UploadResponse" &&
      a?._tag !== "ScheduleDownloadResponse"
    )
      return yield* fail(`${request._tag} answered ${a ? describeMessage(a) : "nothing"}`);
    if (a._tag !== "ScheduleDownloadResponse" && a.status === 0) return 0;
    const r = yield* Effect.either(
      ctx.acs.nextCpeRequest({
        deviceId: ctx.device.deviceId,
        method: "TransferComplete",
        timeoutMs: 8_000,
      }),
    );
    if (r._tag === "Left") return yield* fail(`no TransferComplete (${r.left.reason})`);
    const tc = r.right.message;
    return tc._tag === "TransferComplete" ? tc.faultStruct.faultCode : -1;
  });

const upload = (url: string, commandKey: string): CwmpMessage => ({
  _tag: "Upload",
  commandKey,
  fileType: "1 Vendor Configuration File",
  url,
  username: "",
  password: "",
  delaySeconds: 0,
});

const expectFault = (
  id: string,
  title: string,
  code: number,
  make: (ctx: ScenarioContext) => Effect.Effect<CwmpMessage, never>,
  timeoutMs = 15_000,
): Scenario => ({
  ids: [id],
  title,
  timeoutMs,
  run: (ctx) =>
    Effect.gen(function* () {
      yield* settled(ctx);
      const got = yield* transferFault(ctx, yield* make(ctx));
      yield* check(got === code, `the transfer ended with fault ${got}, expected ${code}`);
    }),
});

/** The scenarios of this file. */
export const transferFaultScenarios: readonly Scenario[] = [
  expectFault(
    "§1.14-9012",
    "Download with wrong credentials for the file server: 9012",
    9012,
    (ctx) =>
      Effect.map(
        Effect.orDie(
          ctx.acs.serveFile("/secret.bin", new Uint8Array([1]), {
            scheme: "digest",
            username: "files",
            password: "right",
          }),
        ),
        (url) => download(url, "auth-fail", { username: "files", password: "wrong" }),
      ),
  ),
  expectFault(
    "§1.14-9011",
    "Upload to a URL the server refuses (404): 9011 (upload failure)",
    9011,
    (ctx) => Effect.succeed(upload(`${ctx.acs.baseUrl}/no-uploads-here`, "up-fail")),
  ),
  expectFault("§1.14-9013", "Download of an ftp:// URL (unsupported protocol): 9013", 9013, () =>
    Effect.succeed(download("ftp://127.0.0.1/firmware.bin", "ftp")),
  ),
  expectFault(
    "§1.14-9015",
    "Download from a closed port: 9015 (unable to contact file server)",
    9015,
    () => Effect.succeed(download("http://127.0.0.1:1/firmware.bin", "closed")),
  ),
  expectFault(
    "§1.14-9016",
    "Download of a missing file (404): 9016 (unable to access file)",
    9016,
    (ctx) => Effect.succeed(download(`${ctx.acs.baseUrl}/missing.bin`, "missing")),
  ),
  expectFault(
    "§1.14-9010",
    "Download announcing a FileSize (4 GiB) larger than the device takes: 9010, the file not fetched",
    9010,
    (ctx) =>
      Effect.map(serve(ctx, "/huge.bin", new Uint8Array([1])), (url) =>
        download(url, "too-large", noCredentials, { fileSize: 4_294_967_295 }),
      ),
  ),
  expectFault(
    "§1.14-9014",
    "Download from a multicast group address (239.255.0.1) the device cannot join: 9014",
    9014,
    () => Effect.succeed(download("http://239.255.0.1:9/firmware.bin", "multicast")),
  ),
  expectFault(
    "§1.14-9017",
    "Download whose server closes the connection after 1,000 of 64 KiB: 9017 (unable to complete)",
    9017,
    (ctx) =>
      Effect.map(
        serve(ctx, "/broken.bin", new Uint8Array(64 * 1024).fill(1), {
          breakOffAfterBytes: 1_000,
        }),
        (url) => download(url, "broken"),
      ),
  ),
  expectFault(
    "§1.14-9018",
    "Download of a 3-byte file announced with FileSize 10: 9018 (file corrupted)",
    9018,
    (ctx) =>
      Effect.map(serve(ctx, "/short.bin", new Uint8Array([1, 2, 3])), (url) =>
        download(url, "corrupt", noCredentials, { fileSize: 10 }),
      ),
  ),
  expectFault(
    "§1.14-9020",
    "ScheduleDownload with one 3 s window from a server that holds the file 8 s: 9020 (not within the window)",
    9020,
    (ctx) =>
      Effect.map(serve(ctx, "/slow-window.bin", new Uint8Array([1]), { holdMs: 8_000 }), (url) =>
        scheduleDownload(url, "window", 0, 3),
      ),
    25_000,
  ),
  {
    ids: ["§1.14-9021"],
    title:
      "CancelTransfer of a Download in progress (its server holds the file; GetAllQueuedTransfers says State 2): 9021",
    timeoutMs: 25_000,
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const url = yield* serve(ctx, "/slow-cancel.bin", new Uint8Array([1]), { holdMs: 10_000 });
        const started = yield* drive(ctx, [download(url, "in-progress")]);
        const a = started.answers[0];
        yield* check(
          a?._tag === "DownloadResponse" && a.status === 1,
          `Download answered ${a ? describeMessage(a) : "nothing"}, expected Status 1`,
        );
        // The transfer starts once that session ended: wait until the device says it is under
        // way (State 2), in sessions of their own, so the cancel surely finds it so.
        let state = 0;
        for (let i = 0; i < 20 && state !== 2; i++) {
          const polled = yield* drive(ctx, [{ _tag: "GetAllQueuedTransfers" }]);
          const p = polled.answers[0];
          if (p?._tag === "Fault" && p.detail?.faultCode === 9000)
            return yield* skip("GetAllQueuedTransfers is not supported (optional)");
          if (p?._tag !== "GetAllQueuedTransfersResponse")
            return yield* fail(
              `GetAllQueuedTransfers answered ${p ? describeMessage(p) : "nothing"}`,
            );
          state = p.transferList.find((t) => t.commandKey === "in-progress")?.state ?? 0;
          if (state !== 2) yield* Effect.sleep("200 millis");
        }
        if (state !== 2) return yield* fail(`the Download never showed State 2 (last ${state})`);
        const { answers } = yield* drive(ctx, [
          { _tag: "CancelTransfer", commandKey: "in-progress" },
        ]);
        const c = answers[0];
        if (c?._tag === "Fault" && c.detail?.faultCode === 9000)
          return yield* skip("CancelTransfer is not supported (optional)");
        yield* check(
          c?._tag === "Fault" && c.detail?.faultCode === 9021,
          `CancelTransfer answered ${c ? describeMessage(c) : "nothing"}, expected fault 9021`,
        );
      }),
  },
  {
    ids: ["§1.14-9004"],
    title:
      "Downloads queued (DelaySeconds 3600) past the device's limit: each refusal is 9004, none before a success",
    timeoutMs: 20_000,
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const url = yield* serve(ctx, "/later.bin", new Uint8Array([1]));
        const requests = Array.from({ length: 40 }, (_, i) =>
          download(url, `later-${i}`, noCredentials, { delaySeconds: 3_600 }),
        );
        const { answers } = yield* drive(ctx, requests, 10_000);
        const firstRefusal = answers.findIndex((x) => x._tag === "Fault");
        if (firstRefusal < 0)
          return yield* skip("the device queued 40 Downloads without reaching a limit");
        const after = answers.slice(firstRefusal);
        const wrong = after.find((x) => x._tag !== "Fault" || x.detail?.faultCode !== 9004);
        yield* check(
          wrong === undefined,
          `after the first refusal (Download ${firstRefusal + 1}) came ${wrong ? describeMessage(wrong) : ""}, expected fault 9004`,
        );
        yield* check(firstRefusal > 0, "the first queued Download was refused already");
      }),
  },
];

const serve = (ctx: ScenarioContext, path: string, bytes: Uint8Array, delivery?: FileDelivery) =>
  Effect.orDie(ctx.acs.serveFile(path, bytes, undefined, delivery));
