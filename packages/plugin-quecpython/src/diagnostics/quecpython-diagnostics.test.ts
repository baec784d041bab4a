import {
  DiagnosticsError,
  type DiagnosticsService,
  type IpPingInput,
  type TraceRouteInput,
} from "@cpekit/core";
import { Effect, Either } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BridgeLink } from "../link/bridge-link.js";
import { BridgeLinkError } from "../link/bridge-link-error.js";
import { SimulatedModule } from "../simulator/simulated-module.js";
import {
  ipPingErrorOf,
  ipPingResultOf,
  makeQuecPythonDiagnostics,
} from "./quecpython-diagnostics.js";

const ping = (host: string, extra: Partial<IpPingInput> = {}): IpPingInput => ({
  host,
  numberOfRepetitions: 4,
  timeoutMs: 1000,
  dataBlockSize: 56,
  interface: "",
  protocolVersion: "Any",
  dscp: 0,
  ...extra,
});
const signal = new AbortController().signal;

describe("IPPing results from uping's reply (TR-181 IPPing.)", () => {
  it("counts successes and failures against the repetitions asked, times in µs", () => {
    expect(
      ipPingResultOf(
        { a: "127.0.0.1", u: "10.0.0.2", tx: 4, rx: 3, mn: 0.25, av: 1.5, mx: 3.125 },
        4,
      ),
    ).toEqual({
      ipAddressUsed: "10.0.0.2",
      successCount: 3,
      failureCount: 1,
      minimumResponseTimeUs: 250,
      averageResponseTimeUs: 1500,
      maximumResponseTimeUs: 3125,
    });
    // uping sent fewer than asked: the missing ones failed too.
    expect(ipPingResultOf({ tx: 2, rx: 2, mn: 1, av: 1, mx: 1 }, 5)).toMatchObject({
      successCount: 2,
      failureCount: 3,
    });
  });

  it("no reply: times are 0 whatever uping said; no address used when the module has none", () => {
    const r = ipPingResultOf({ tx: 3, rx: 0, mn: null, av: null, mx: null, u: null }, 3);
    expect(r).toEqual({
      successCount: 0,
      failureCount: 3,
      minimumResponseTimeUs: 0,
      averageResponseTimeUs: 0,
      maximumResponseTimeUs: 0,
    });
    expect(ipPingResultOf(null, 2)).toMatchObject({ successCount: 0, failureCount: 2 });
    // A count above the repetitions is capped (never a negative FailureCount).
    expect(ipPingResultOf({ rx: 9, mn: 1, av: 1, mx: 1 }, 4)).toMatchObject({
      successCount: 4,
      failureCount: 0,
    });
  });

  it("errors: resolution → Error_CannotResolveHostName, other module errors → Error_Other, link failures → Error_Internal", () => {
    const remote = (detail: string) => new BridgeLinkError({ reason: "Remote", detail });
    expect(ipPingErrorOf(remote("resolve: OSError:-202")).state).toBe(
      "Error_CannotResolveHostName",
    );
    expect(ipPingErrorOf(remote("no uping module")).state).toBe("Error_Other");
    expect(ipPingErrorOf(remote("OSError:12")).detail).toContain("OSError:12");
    expect(ipPingErrorOf(new BridgeLinkError({ reason: "Timeout", detail: "t" })).state).toBe(
      "Error_Internal",
    );
    expect(ipPingErrorOf(new Error("x")).state).toBe("Error_Internal");
  });
});

describe("§1.12 IPPing on the simulated module (uping through the bridge)", () => {
  let sim: SimulatedModule;
  let link: BridgeLink;
  let diagnostics: DiagnosticsService;
  const run = (input: IpPingInput) =>
    Effect.runPromise(Effect.either(diagnostics.ipPing(input, signal)));
  beforeAll(async () => {
    sim = await SimulatedModule.start({ bootDelayMs: 20 });
    link = await BridgeLink.connect({ open: () => sim.open(), requestTimeoutMs: 3000 });
    diagnostics = makeQuecPythonDiagnostics(link);
  });
  afterAll(async () => {
    await link.close();
    sim.close();
  });

  it("pings 127.0.0.1 on the module: every repetition answered, min ≤ avg ≤ max, the data call's address used", async () => {
    const before = sim.apiCalls()["uping.ping"] ?? 0;
    const r = await run(ping("127.0.0.1", { numberOfRepetitions: 5 }));
    if (Either.isLeft(r)) throw r.left;
    expect(sim.apiCalls()["uping.ping"]).toBe(before + 1);
    expect(r.right).toMatchObject({
      ipAddressUsed: "10.64.12.34",
      successCount: 5,
      failureCount: 0,
    });
    const {
      minimumResponseTimeUs: min,
      averageResponseTimeUs: avg,
      maximumResponseTimeUs: max,
    } = r.right;
    expect(min).toBeGreaterThan(0);
    expect(min).toBeLessThanOrEqual(avg);
    expect(avg).toBeLessThanOrEqual(max);
    const local = await run(ping("localhost", { numberOfRepetitions: 1 }));
    expect(Either.isRight(local) && local.right.successCount).toBe(1);
  });

  it("an address that does not answer: all repetitions fail, the test completes", async () => {
    const r = await run(ping("192.0.2.1", { numberOfRepetitions: 3 }));
    if (Either.isLeft(r)) throw r.left;
    expect(r.right).toMatchObject({ successCount: 0, failureCount: 3, averageResponseTimeUs: 0 });
  });

  it("Error_CannotResolveHostName for a name the module cannot resolve", async () => {
    const r = await run(ping("no-such-host.invalid"));
    if (Either.isRight(r)) throw new Error("expected a failure");
    expect(r.left).toBeInstanceOf(DiagnosticsError);
    expect(r.left.state).toBe("Error_CannotResolveHostName");
  });

  it("IPv6 is Error_Other (uping is IPv4), and the tests the module does not run too, unless a host implementation is given", async () => {
    const v6 = await run(ping("::1", { protocolVersion: "IPv6" }));
    expect(Either.isLeft(v6) && v6.left.state).toBe("Error_Other");
    const trace: TraceRouteInput = {
      host: "127.0.0.1",
      numberOfTries: 1,
      timeoutMs: 100,
      dataBlockSize: 32,
      maxHopCount: 3,
      interface: "",
      protocolVersion: "Any",
      dscp: 0,
    };
    const none = await Effect.runPromise(Effect.either(diagnostics.traceRoute(trace, signal)));
    expect(Either.isLeft(none) && none.left.state).toBe("Error_Other");
    expect(diagnostics.serverSelection).toBeUndefined();
    const hostResult = { responseTimeMs: 1, hops: [] };
    const base = {
      ...diagnostics,
      traceRoute: () => Effect.succeed(hostResult),
      serverSelection: () =>
        Effect.succeed({
          fastestHost: "a",
          minimumResponseTimeUs: 1,
          averageResponseTimeUs: 1,
          maximumResponseTimeUs: 1,
        }),
    } satisfies DiagnosticsService;
    const withHost = makeQuecPythonDiagnostics(link, { base });
    expect(await Effect.runPromise(withHost.traceRoute(trace, signal))).toBe(hostResult);
    expect(withHost.serverSelection).toBe(base.serverSelection);
    // IPPing stays on the module.
    const before = sim.apiCalls()["uping.ping"] ?? 0;
    await Effect.runPromise(withHost.ipPing(ping("127.0.0.1", { numberOfRepetitions: 1 }), signal));
    expect(sim.apiCalls()["uping.ping"]).toBe(before + 1);
  });

  it("asks uping for the repetitions, time-out and interval, a size of DataBlockSize plus the ICMP header (at least 16), and waits for all of them", async () => {
    const calls: unknown[] = [];
    const spy = {
      action: async (name: string, args: unknown, options: unknown) => {
        calls.push([name, args, options]);
        return { tx: 1, rx: 1, mn: 1, av: 1, mx: 1 };
      },
    } as unknown as BridgeLink;
    const d = makeQuecPythonDiagnostics(spy, { pingIntervalMs: 500 });
    await Effect.runPromise(d.ipPing(ping("h", { dataBlockSize: 56 }), signal));
    await Effect.runPromise(
      d.ipPing(ping("h", { dataBlockSize: 1, numberOfRepetitions: 2, timeoutMs: 300 }), signal),
    );
    expect(calls).toEqual([
      ["ipPing", { h: "h", c: 4, t: 1000, s: 64, i: 500 }, { timeoutMs: 4 * 1500 + 10_000 }],
      ["ipPing", { h: "h", c: 2, t: 300, s: 16, i: 500 }, { timeoutMs: 2 * 800 + 10_000 }],
    ]);
  });
});
