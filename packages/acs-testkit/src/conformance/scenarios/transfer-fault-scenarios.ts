/**
 * Scenarios of the §1.14 transfer fault codes: a Download or Upload that cannot succeed must
 * end in the fault that names why (in its response or the later TransferComplete). Every file
 * server here is the test ACS or a closed port on 127.0.0.1.
 * @module
 */
import type { CwmpMessage } from "@cpekit/core";
import { Effect } from "effect";
import type { Scenario, ScenarioContext } from "../scenario.js";
import { check, describeMessage, fail } from "../scenario-checks.js";
import { drive, settled } from "../session-driver.js";

const download = (
  url: string,
  commandKey: string,
  credentials = { username: "", password: "" },
): CwmpMessage => ({
  _tag: "Download",
  commandKey,
  fileType: "3 Vendor Configuration File",
  url,
  ...credentials,
  fileSize: 0,
  targetFileName: "",
  delaySeconds: 0,
  successUrl: "",
  failureUrl: "",
});

/**
 * Starts `request` and yields the fault code the transfer ended with: the Download's own
 * fault, or the FaultCode of the TransferComplete that follows a Status 1.
 */
const transferFault = (ctx: ScenarioContext, request: CwmpMessage) =>
  Effect.gen(function* () {
    const { answers } = yield* drive(ctx, [request]);
    const a = answers[0];
    if (a?._tag === "Fault") return a.detail?.faultCode ?? -1;
    if (a?._tag !== "DownloadResponse" && a?._tag !== "UploadResponse")
      return yield* fail(`${request._tag} answered ${a ? describeMessage(a) : "nothing"}`);
    if (a.status === 0) return 0;
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
): Scenario => ({
  ids: [id],
  title,
  timeoutMs: 15_000,
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
];
