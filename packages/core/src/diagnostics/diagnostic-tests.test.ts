import { Effect, Either } from "effect";
import { describe, expect, it } from "vitest";
import type { DiagnosticsService } from "../ports/diagnostics.js";
import { type DiagnosticKind, diagnosticTests } from "./diagnostic-tests.js";
import { fakeDiagnostics } from "./test-support/diagnostics-fixture.js";

const testOf = (kind: DiagnosticKind) => {
  const t = diagnosticTests.find((d) => d.kind === kind);
  if (t === undefined) throw new Error(kind);
  return t;
};

const reader = (values: Record<string, string>) => (name: string) => values[name] ?? "";

const outcome = (
  kind: DiagnosticKind,
  service: DiagnosticsService,
  values: Record<string, string>,
) => {
  const run = testOf(kind).run(service, reader(values), new AbortController().signal);
  if (run === undefined) throw new Error(`no ${kind}`);
  return Effect.runPromise(Effect.either(run));
};

describe("diagnostic tests", () => {
  it("§1.12-Diagnostics each test names its TR-181 object", () => {
    expect(diagnosticTests.map((t) => [t.kind, t.object])).toEqual([
      ["ipPing", "IP.Diagnostics.IPPing."],
      ["traceRoute", "IP.Diagnostics.TraceRoute."],
      ["downloadDiagnostics", "IP.Diagnostics.DownloadDiagnostics."],
      ["uploadDiagnostics", "IP.Diagnostics.UploadDiagnostics."],
      ["serverSelection", "IP.Diagnostics.ServerSelectionDiagnostics."],
    ]);
  });

  it("§1.12-Diagnostics TraceRoute inputs are kept within TR-181's ranges (tries 1..3, hops 1..64)", async () => {
    const fake = fakeDiagnostics();
    await outcome("traceRoute", fake.service, {
      Host: "h",
      NumberOfTries: "9",
      MaxHopCount: "200",
      Timeout: "0",
      DataBlockSize: "x",
      ProtocolVersion: "IPv6",
      DSCP: "12",
      Interface: "Device.IP.Interface.1",
    });
    expect(fake.calls[0]?.input).toEqual({
      interface: "Device.IP.Interface.1",
      protocolVersion: "IPv6",
      dscp: 12,
      host: "h",
      numberOfTries: 3,
      timeoutMs: 1,
      dataBlockSize: 1,
      maxHopCount: 64,
    });
    await outcome("traceRoute", fake.service, { Host: "h", NumberOfTries: "0", MaxHopCount: "0" });
    expect(fake.calls[1]?.input).toMatchObject({
      numberOfTries: 1,
      maxHopCount: 1,
      protocolVersion: "Any",
    });
  });

  it("§1.12-Diagnostics UploadDiagnostics passes URL and TestFileLength and maps the result", async () => {
    const fake = fakeDiagnostics();
    const r = await outcome("uploadDiagnostics", fake.service, {
      UploadURL: "http://127.0.0.1/u",
      TestFileLength: "1000",
      NumberOfConnections: "0",
      TimeBasedTestDuration: "5",
      EthernetPriority: "3",
    });
    expect(fake.calls[0]?.input).toEqual({
      interface: "",
      protocolVersion: "Any",
      dscp: 0,
      ethernetPriority: 3,
      numberOfConnections: 1,
      timeBasedTestDurationS: 5,
      url: "http://127.0.0.1/u",
      testFileLength: 1000,
    });
    expect(Either.getOrThrow(r).values).toEqual({
      ROMTime: "1970-01-01T00:00:00.003000Z",
      BOMTime: "1970-01-01T00:00:00.004000Z",
      EOMTime: "1970-01-01T00:00:00.005000Z",
      TCPOpenRequestTime: "1970-01-01T00:00:00.001000Z",
      TCPOpenResponseTime: "1970-01-01T00:00:00.002000Z",
      TestBytesSent: "10",
      TotalBytesReceived: "11",
      TotalBytesSent: "12",
    });
  });

  it("§1.12-Diagnostics an empty target fails before the port: Host → Error_CannotResolveHostName, URL → Error_InitConnectionFailed", async () => {
    const fake = fakeDiagnostics();
    const state = async (kind: DiagnosticKind, values: Record<string, string>) => {
      const r = await outcome(kind, fake.service, values);
      return Either.isLeft(r) ? r.left.state : "succeeded";
    };
    expect(await state("ipPing", { Host: "  " })).toBe("Error_CannotResolveHostName");
    expect(await state("traceRoute", {})).toBe("Error_CannotResolveHostName");
    expect(await state("downloadDiagnostics", {})).toBe("Error_InitConnectionFailed");
    expect(await state("uploadDiagnostics", { UploadURL: "" })).toBe("Error_InitConnectionFailed");
    expect(fake.calls).toEqual([]);
  });

  it("§1.12-Diagnostics ServerSelectionDiagnostics runs only with a service that has it, over the HostList", async () => {
    const fake = fakeDiagnostics();
    expect(
      testOf("serverSelection").run(fake.service, reader({}), new AbortController().signal),
    ).toBeUndefined();
    let seen: unknown;
    const service: DiagnosticsService = {
      ...fake.service,
      serverSelection: (input) => {
        seen = input;
        return Effect.succeed({
          fastestHost: "b",
          minimumResponseTimeUs: 10,
          averageResponseTimeUs: 20,
          maximumResponseTimeUs: 30,
        });
      },
    };
    const r = await outcome("serverSelection", service, {
      HostList: "a, b,,c",
      Protocol: "UDP Echo",
      NumberOfRepetitions: "2",
      Timeout: "500",
    });
    expect(seen).toEqual({
      interface: "",
      protocolVersion: "Any",
      protocol: "UDP Echo",
      hostList: ["a", "b", "c"],
      numberOfRepetitions: 2,
      timeoutMs: 500,
    });
    expect(Either.getOrThrow(r).values).toEqual({
      FastestHost: "b",
      MinimumResponseTime: "10",
      AverageResponseTime: "20",
      MaximumResponseTime: "30",
    });
  });
});
