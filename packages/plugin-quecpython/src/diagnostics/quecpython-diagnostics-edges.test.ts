import type { DiagnosticsService, DownloadDiagnosticsInput, IpPingInput } from "@cpekit/core";
import { Effect, Either } from "effect";
import { describe, expect, it } from "vitest";
import type { BridgeLink } from "../link/bridge-link.js";
import { BridgeLinkError } from "../link/bridge-link-error.js";
import {
  ipPingErrorOf,
  ipPingResultOf,
  makeQuecPythonDiagnostics,
} from "./quecpython-diagnostics.js";

// uping replies and failures one odd field at a time, and the messages each failure carries.

const ping: IpPingInput = {
  host: "h",
  numberOfRepetitions: 2,
  timeoutMs: 100,
  dataBlockSize: 8,
  interface: "",
  protocolVersion: "Any",
  dscp: 0,
};
const signal = new AbortController().signal;
const spyLink = (calls: unknown[]) =>
  ({
    action: async (name: string, args: unknown, options: unknown) => {
      calls.push([name, args, options]);
      return { rx: 2, mn: 1, av: 1, mx: 1 };
    },
  }) as unknown as BridgeLink;

describe("ipPingResultOf edges", () => {
  it("§1.12-Diagnostics a time that is not a positive finite number reads 0 µs; an empty address is none", () => {
    expect(
      ipPingResultOf({ rx: 2, u: "", mn: Number.POSITIVE_INFINITY, av: -1, mx: "2" as never }, 2),
    ).toStrictEqual({
      successCount: 2,
      failureCount: 0,
      minimumResponseTimeUs: 0,
      averageResponseTimeUs: 0,
      maximumResponseTimeUs: 0,
    });
    expect(ipPingResultOf({ rx: 1, mn: 0.0004, av: 0.0006, mx: 2 }, 1)).toMatchObject({
      minimumResponseTimeUs: 0,
      averageResponseTimeUs: 1,
      maximumResponseTimeUs: 2000,
    });
  });

  it("§1.12-Diagnostics a received count that is not a number, or negative, is 0, and then every time is 0", () => {
    expect(ipPingResultOf({ rx: "2" as never, mn: 1, av: 1, mx: 1 }, 2)).toMatchObject({
      successCount: 0,
      failureCount: 2,
      minimumResponseTimeUs: 0,
      averageResponseTimeUs: 0,
      maximumResponseTimeUs: 0,
    });
    expect(ipPingResultOf({ rx: -3 }, 2)).toMatchObject({ successCount: 0, failureCount: 2 });
    expect(ipPingResultOf("text", 1)).toMatchObject({ successCount: 0, failureCount: 1 });
  });
});

describe("ipPingErrorOf messages", () => {
  it("§1.12-Diagnostics each failure's detail names what went wrong", () => {
    const remote = (detail: string) => new BridgeLinkError({ reason: "Remote", detail });
    expect(ipPingErrorOf(remote("resolve: OSError:-202")).detail).toBe(
      "the module cannot resolve the host (resolve: OSError:-202)",
    );
    expect(ipPingErrorOf(remote("OSError: resolve:")).state).toBe("Error_Other");
    expect(ipPingErrorOf(remote("OSError:12")).detail).toBe(
      "ping on the module failed: OSError:12",
    );
    const timeout = new BridgeLinkError({ reason: "Timeout", detail: "resolve: late" });
    expect([ipPingErrorOf(timeout).state, ipPingErrorOf(timeout).detail]).toEqual([
      "Error_Internal",
      `the module did not answer the ping: ${timeout.message}`,
    ]);
    expect(ipPingErrorOf("gone").detail).toBe("the module did not answer the ping: gone");
    expect(ipPingErrorOf("gone").cause).toBe("gone");
  });
});

describe("makeQuecPythonDiagnostics edges", () => {
  it("§1.12-Diagnostics the default echo interval is 1000 ms; DataBlockSize 8 is uping's smallest size 16", async () => {
    const calls: unknown[] = [];
    await Effect.runPromise(makeQuecPythonDiagnostics(spyLink(calls)).ipPing(ping, signal));
    expect(calls).toEqual([
      ["ipPing", { h: "h", c: 2, t: 100, s: 16, i: 1000 }, { timeoutMs: 2 * 1100 + 10_000 }],
    ]);
  });

  it("§1.12-Diagnostics IPv6 is refused before the module is asked; the tests it does not run name themselves", async () => {
    const calls: unknown[] = [];
    const d = makeQuecPythonDiagnostics(spyLink(calls));
    const v6 = await Effect.runPromise(
      Effect.either(d.ipPing({ ...ping, protocolVersion: "IPv6" }, signal)),
    );
    expect(Either.isLeft(v6) && v6.left.detail).toBe("uping on the module pings over IPv4 only");
    expect(calls).toEqual([]);
    const download = { url: "http://127.0.0.1/f" } as unknown as DownloadDiagnosticsInput;
    const fail = async (e: Effect.Effect<unknown, { detail: string; state: string }>) => {
      const r = await Effect.runPromise(Effect.either(e));
      return Either.isLeft(r) ? [r.left.state, r.left.detail] : "ran";
    };
    expect(await fail(d.downloadDiagnostics(download, signal))).toEqual([
      "Error_Other",
      "DownloadDiagnostics is not run on a QuecPython module (no host diagnostics given)",
    ]);
    expect(await fail(d.uploadDiagnostics(download as never, signal))).toEqual([
      "Error_Other",
      "UploadDiagnostics is not run on a QuecPython module (no host diagnostics given)",
    ]);
    expect(await fail(d.traceRoute(download as never, signal))).toEqual([
      "Error_Other",
      "TraceRoute is not run on a QuecPython module (no host diagnostics given)",
    ]);
  });

  it("§1.12-Diagnostics with a host implementation, Download and Upload run on the host", async () => {
    const hostDownload = { tag: "download" };
    const hostUpload = { tag: "upload" };
    const base = {
      ipPing: () => Effect.die("not on the host"),
      traceRoute: () => Effect.die("unused"),
      downloadDiagnostics: () => Effect.succeed(hostDownload),
      uploadDiagnostics: () => Effect.succeed(hostUpload),
    } as unknown as DiagnosticsService;
    const d = makeQuecPythonDiagnostics(spyLink([]), { base });
    expect(await Effect.runPromise(d.downloadDiagnostics({} as never, signal))).toBe(hostDownload);
    expect(await Effect.runPromise(d.uploadDiagnostics({} as never, signal))).toBe(hostUpload);
    expect("serverSelection" in d).toBe(false);
  });
});
