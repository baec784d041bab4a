/**
 * Test support for the diagnostics: the fixture schema plus IPPing, TraceRoute (with its
 * RouteHops table) and DownloadDiagnostics objects shaped like TR-181 2.17's, and a
 * `DiagnosticsService` whose tests answer what each test tells them to, recording every call.
 * @module
 */
import { Effect } from "effect";
import type { DataModelSchema, ObjectSchema, ParameterSchema } from "../../datamodel/schema.js";
import { deviceFixtureWith } from "../../datamodel/test-support/device-fixture.js";
import {
  DiagnosticsError,
  type DiagnosticsErrorState,
  type DiagnosticsService,
} from "../../ports/diagnostics.js";

export const PING = "Device.IP.Diagnostics.IPPing.";
export const TRACE = "Device.IP.Diagnostics.TraceRoute.";
export const DOWNLOAD = "Device.IP.Diagnostics.DownloadDiagnostics.";

const pingStates = [
  "None",
  "Requested",
  "Canceled",
  "Complete",
  "Error",
  "Error_CannotResolveHostName",
  "Error_NoRouteToHost",
  "Error_Internal",
  "Error_Other",
];
const downloadStates = [
  "None",
  "Requested",
  "Canceled",
  "Complete",
  "Error_CannotResolveHostName",
  "Error_InitConnectionFailed",
  "Error_NoResponse",
  "Error_TransferFailed",
  "Error_Internal",
  "Error_Other",
];

const obj = (path: string, extra: Partial<ObjectSchema> = {}): ObjectSchema => ({
  path,
  access: "readOnly",
  multiInstance: path.endsWith("{i}."),
  minEntries: path.endsWith("{i}.") ? 0 : 1,
  ...extra,
});
const rw = (path: string, type: ParameterSchema["type"] = "string"): ParameterSchema => ({
  path,
  type,
  access: "readWrite",
});
const ro = (path: string, type: ParameterSchema["type"] = "unsignedInt"): ParameterSchema => ({
  path,
  type,
  access: "readOnly",
});
const state = (object: string, enumerations: readonly string[]): ParameterSchema => ({
  path: `${object}DiagnosticsState`,
  type: "string",
  access: "readWrite",
  enumerations,
});

/** The fixture schema with the three diagnostics objects. */
export const diagnosticsSchema: DataModelSchema = deviceFixtureWith(
  [
    state(PING, pingStates),
    rw(`${PING}Interface`),
    rw(`${PING}Host`),
    rw(`${PING}NumberOfRepetitions`, "unsignedInt"),
    rw(`${PING}Timeout`, "unsignedInt"),
    rw(`${PING}DataBlockSize`, "unsignedInt"),
    ro(`${PING}SuccessCount`),
    ro(`${PING}FailureCount`),
    ro(`${PING}AverageResponseTime`),
    ro(`${PING}MinimumResponseTime`),
    ro(`${PING}MaximumResponseTime`),
    ro(`${PING}AverageResponseTimeDetailed`),
    state(TRACE, [...pingStates, "Error_MaxHopCountExceeded"]),
    rw(`${TRACE}Host`),
    rw(`${TRACE}MaxHopCount`, "unsignedInt"),
    ro(`${TRACE}ResponseTime`),
    {
      ...ro(`${TRACE}RouteHopsNumberOfEntries`),
      countsEntriesOf: `${TRACE}RouteHops.{i}.`,
    },
    ro(`${TRACE}RouteHops.{i}.Host`, "string"),
    ro(`${TRACE}RouteHops.{i}.HostAddress`, "string"),
    ro(`${TRACE}RouteHops.{i}.ErrorCode`),
    ro(`${TRACE}RouteHops.{i}.RTTimes`, "string"),
    state(DOWNLOAD, downloadStates),
    rw(`${DOWNLOAD}DownloadURL`),
    ro(`${DOWNLOAD}ROMTime`, "dateTime"),
    ro(`${DOWNLOAD}BOMTime`, "dateTime"),
    ro(`${DOWNLOAD}EOMTime`, "dateTime"),
    ro(`${DOWNLOAD}TestBytesReceived`, "unsignedLong"),
    ro(`${DOWNLOAD}TotalBytesReceived`, "unsignedLong"),
    ro(`${DOWNLOAD}TotalBytesSent`, "unsignedLong"),
    ro(`${DOWNLOAD}TCPOpenRequestTime`, "dateTime"),
    ro(`${DOWNLOAD}TCPOpenResponseTime`, "dateTime"),
  ],
  [
    obj("Device.IP."),
    obj("Device.IP.Diagnostics."),
    obj(PING),
    obj(TRACE),
    obj(`${TRACE}RouteHops.{i}.`, { numEntriesParameter: `${TRACE}RouteHopsNumberOfEntries` }),
    obj(DOWNLOAD),
  ],
);

/** One call the fake service received. */
export interface DiagnosticsCall {
  readonly kind: "ipPing" | "traceRoute" | "downloadDiagnostics" | "uploadDiagnostics";
  readonly input: unknown;
  readonly signal: AbortSignal;
}

/** How the fake answers a call (default: a plausible success). */
export type FakeAnswer = (call: DiagnosticsCall) => Effect.Effect<unknown, DiagnosticsError>;

/** A fake `DiagnosticsService`; `answer` may be replaced between calls. */
export const fakeDiagnostics = (): {
  readonly service: DiagnosticsService;
  readonly calls: DiagnosticsCall[];
  answer: FakeAnswer | undefined;
} => {
  const calls: DiagnosticsCall[] = [];
  const fake = {
    calls,
    answer: undefined as FakeAnswer | undefined,
    service: undefined as unknown as DiagnosticsService,
  };
  const call =
    <R>(kind: DiagnosticsCall["kind"], success: R) =>
    (input: unknown, signal: AbortSignal) =>
      Effect.suspend(() => {
        const c = { kind, input, signal };
        calls.push(c);
        return (fake.answer?.(c) ?? Effect.succeed(success)) as Effect.Effect<R, DiagnosticsError>;
      });
  fake.service = {
    ipPing: call("ipPing", {
      ipAddressUsed: "127.0.0.1",
      successCount: 3,
      failureCount: 1,
      minimumResponseTimeUs: 1400,
      averageResponseTimeUs: 2500,
      maximumResponseTimeUs: 3600,
    }),
    traceRoute: call("traceRoute", {
      responseTimeMs: 7,
      hops: [
        { host: "gw", hostAddress: "10.0.0.1", errorCode: 0, rtTimesMs: [1, 2, 3] },
        { host: "127.0.0.1", hostAddress: "127.0.0.1", errorCode: 0, rtTimesMs: [4] },
      ],
    }),
    downloadDiagnostics: call("downloadDiagnostics", {
      tcpOpenRequestTime: Date.UTC(2026, 0, 2, 3, 4, 5, 6) + 0.007,
      tcpOpenResponseTime: Date.UTC(2026, 0, 2, 3, 4, 5, 8),
      romTime: Date.UTC(2026, 0, 2, 3, 4, 5, 9),
      bomTime: Date.UTC(2026, 0, 2, 3, 4, 5, 10),
      eomTime: Date.UTC(2026, 0, 2, 3, 4, 5, 20),
      testBytesReceived: 4096,
      totalBytesReceived: 4200,
      totalBytesSent: 90,
    }),
    uploadDiagnostics: call("uploadDiagnostics", {
      tcpOpenRequestTime: 1,
      tcpOpenResponseTime: 2,
      romTime: 3,
      bomTime: 4,
      eomTime: 5,
      testBytesSent: 10,
      totalBytesReceived: 11,
      totalBytesSent: 12,
    }),
  };
  return fake;
};

/** A failure with `state`. */
export const failWith = (state: DiagnosticsErrorState) =>
  Effect.fail(new DiagnosticsError({ state, detail: `test says ${state}` }));
