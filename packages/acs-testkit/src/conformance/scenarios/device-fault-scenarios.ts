/**
 * Scenarios of the §1.14 faults that come from the device rather than from the request: 9001
 * (the device denies what it cannot do: a file type it has no use for), 9002 (something inside
 * the device broke; the ACS gets Internal error for that call, and the device goes on) and 9019
 * (a firmware image whose signature does not verify is refused, a signed one installed).
 * @module
 */
import type { CwmpMessage } from "@cpekit/core";
import { Effect } from "effect";
import type { Scenario } from "../scenario.js";
import { check, describeMessage, skip } from "../scenario-checks.js";
import { drive, settled } from "../session-driver.js";
import { transferFault } from "./transfer-fault-scenarios.js";

const gpv = (name: string): CwmpMessage => ({ _tag: "GetParameterValues", parameterNames: [name] });

const download = (url: string, commandKey: string, fileType: string): CwmpMessage => ({
  _tag: "Download",
  commandKey,
  fileType,
  url,
  username: "",
  password: "",
  fileSize: 0,
  targetFileName: "",
  delaySeconds: 0,
  successUrl: "",
  failureUrl: "",
});

/** The scenarios of this file. */
export const deviceFaultScenarios: readonly Scenario[] = [
  {
    ids: ["§1.14-9001"],
    title:
      "Download of a file type the device has no use for (2 Web Content): Request denied, 9001 (skipped when it takes the file)",
    timeoutMs: 15_000,
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const url = yield* Effect.orDie(
          ctx.acs.serveFile("/page.html", new Uint8Array([60, 47, 62])),
        );
        const code = yield* transferFault(ctx, download(url, "web", "2 Web Content"));
        if (code === 0) return yield* skip("the device takes web content");
        yield* check(code === 9001, `the denied Download ended with fault ${code}, expected 9001`);
      }),
  },
  {
    ids: ["§1.14-9019"],
    title:
      "Firmware with a tampered signature: 9019 (file authentication failure), not installed; the same image correctly signed: installed (0)",
    timeoutMs: 25_000,
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const sign = ctx.device.signFirmware;
        if (sign === undefined)
          return yield* skip("the device offers no way to sign firmware as its maker does");
        const signed = sign(new TextEncoder().encode("cpekit firmware 9.9.9"));
        const tampered = new Uint8Array(signed);
        tampered[0] = (tampered[0] ?? 0) ^ 0x20;
        const serve = (path: string, bytes: Uint8Array) =>
          Effect.orDie(ctx.acs.serveFile(path, bytes));
        const bad = yield* transferFault(
          ctx,
          download(
            yield* serve("/fw-tampered.bin", tampered),
            "fw-bad",
            "1 Firmware Upgrade Image",
          ),
        );
        yield* check(bad === 9019, `the tampered image ended with fault ${bad}, expected 9019`);
        const good = yield* transferFault(
          ctx,
          download(yield* serve("/fw-signed.bin", signed), "fw-good", "1 Firmware Upgrade Image"),
        );
        yield* check(good === 0, `the signed image ended with fault ${good}, expected 0`);
      }),
  },
  {
    ids: ["§1.14-9002"],
    title:
      "A value whose source inside the device is broken: GPV answers 9002 (Internal error); repaired, the same GPV answers its value",
    timeoutMs: 15_000,
    run: (ctx) =>
      Effect.gen(function* () {
        const { inform } = yield* settled(ctx);
        const breakSource = ctx.device.breakDeviceSource;
        // A value the Inform does not carry: breaking it must not break the session itself.
        const informed = new Set(inform.inform.parameterList.map((p) => p.name));
        const name = ctx.device.changeableParameters?.find((n) => !informed.has(n));
        if (breakSource === undefined || name === undefined)
          return yield* skip("the device offers no way to break one of its own values");
        yield* Effect.orDie(breakSource(name, true));
        const broken = (yield* drive(ctx, [gpv(name)])).answers[0];
        yield* Effect.orDie(breakSource(name, false));
        yield* check(
          broken?._tag === "Fault" && broken.detail?.faultCode === 9002,
          `GPV of ${name} with its source broken answered ${broken ? describeMessage(broken) : "nothing"}, expected fault 9002`,
        );
        yield* check(
          broken?._tag === "Fault" && broken.faultcode === "Server",
          `fault 9002 came with faultcode ${broken?._tag === "Fault" ? broken.faultcode : "-"}, expected Server`,
        );
        const repaired = (yield* drive(ctx, [gpv(name)])).answers[0];
        yield* check(
          repaired?._tag === "GetParameterValuesResponse" &&
            repaired.parameterList[0]?.name === name,
          `after the repair GPV of ${name} answered ${repaired ? describeMessage(repaired) : "nothing"}`,
        );
      }),
  },
];
