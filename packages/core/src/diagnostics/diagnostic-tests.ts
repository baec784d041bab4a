/**
 * The diagnostic tests of `Device.IP.Diagnostics.` as the agent knows them: each test's object,
 * the defaults of its input parameters, how its inputs are read for the {@link Diagnostics} port
 * and how the port's result becomes result parameters (and table rows).
 * @module
 */
import { Effect } from "effect";
import {
  DiagnosticsError,
  type DiagnosticsErrorState,
  type DiagnosticsProtocolVersion,
  type DiagnosticsService,
  type TransferDiagnosticsInput,
} from "../ports/diagnostics.js";
import { diagnosticsDateTime } from "./diagnostics-time.js";

/** The kinds of test, named as the port's methods. */
export type DiagnosticKind =
  | "ipPing"
  | "traceRoute"
  | "downloadDiagnostics"
  | "uploadDiagnostics"
  | "serverSelection";

/** Result values of a finished test, by parameter name relative to the test's object. */
export interface DiagnosticOutcome {
  readonly values: Readonly<Record<string, string>>;
  /** Rows of the test's result tables, by table name relative to the object (`RouteHops.`). */
  readonly rows?: Readonly<Record<string, ReadonlyArray<Readonly<Record<string, string>>>>>;
}

/** One kind of test. */
export interface DiagnosticTest {
  readonly kind: DiagnosticKind;
  /** The object below the root, e.g. `IP.Diagnostics.IPPing.`. */
  readonly object: string;
  /** Defaults of parameters the schema gives none for (inputs and capabilities). */
  readonly defaults: Readonly<Record<string, string>>;
  /** Result tables, relative to the object (`RouteHops.`). */
  readonly tables: readonly string[];
  /**
   * Runs the test through `service` with the inputs read by `read` (a relative name to its
   * current value); `undefined` when the service has no such test.
   */
  readonly run: (
    service: DiagnosticsService,
    read: (name: string) => string,
    signal: AbortSignal,
  ) => Effect.Effect<DiagnosticOutcome, DiagnosticsError> | undefined;
}

const num = (text: string): number => {
  const n = Number(text);
  return Number.isFinite(n) ? n : 0;
};

const protocolVersion = (text: string): DiagnosticsProtocolVersion =>
  text === "IPv4" || text === "IPv6" ? text : "Any";

const common = (read: (name: string) => string) => ({
  interface: read("Interface"),
  protocolVersion: protocolVersion(read("ProtocolVersion")),
  dscp: num(read("DSCP")),
});

const transferInput = (read: (name: string) => string): TransferDiagnosticsInput => ({
  ...common(read),
  ethernetPriority: num(read("EthernetPriority")),
  numberOfConnections: Math.max(1, num(read("NumberOfConnections"))),
  timeBasedTestDurationS: num(read("TimeBasedTestDuration")),
});

/**
 * A failed run when the input `name` is empty (the port is promised a host and a URL): a test
 * requested without its target fails the way a target that cannot be reached does.
 */
const requireInput = (
  read: (name: string) => string,
  name: string,
  state: DiagnosticsErrorState,
): Effect.Effect<never, DiagnosticsError> | undefined =>
  read(name).trim() === ""
    ? Effect.fail(new DiagnosticsError({ state, detail: `${name} is empty` }))
    : undefined;

const mapOutcome = <R>(
  effect: Effect.Effect<R, DiagnosticsError>,
  f: (r: R) => DiagnosticOutcome,
): Effect.Effect<DiagnosticOutcome, DiagnosticsError> => Effect.map(effect, f);

const ms = (us: number): string => String(Math.round(us / 1000));
const whole = (n: number): string => String(Math.max(0, Math.round(n)));
const withAddress = (address: string | undefined): Record<string, string> =>
  address === undefined ? {} : { IPAddressUsed: address };

/** Defaults shared by Download and Upload. */
const transferDefaults = {
  DSCP: "0",
  EthernetPriority: "0",
  ProtocolVersion: "Any",
  NumberOfConnections: "1",
  TimeBasedTestDuration: "0",
  TimeBasedTestMeasurementInterval: "0",
  TimeBasedTestMeasurementOffset: "0",
  EnablePerConnectionResults: "false",
};

const transferTimes = (r: {
  romTime: number;
  bomTime: number;
  eomTime: number;
  tcpOpenRequestTime: number;
  tcpOpenResponseTime: number;
}): Record<string, string> => ({
  ROMTime: diagnosticsDateTime(r.romTime),
  BOMTime: diagnosticsDateTime(r.bomTime),
  EOMTime: diagnosticsDateTime(r.eomTime),
  TCPOpenRequestTime: diagnosticsDateTime(r.tcpOpenRequestTime),
  TCPOpenResponseTime: diagnosticsDateTime(r.tcpOpenResponseTime),
});

const ipPing: DiagnosticTest = {
  kind: "ipPing",
  object: "IP.Diagnostics.IPPing.",
  defaults: {
    ProtocolVersion: "Any",
    NumberOfRepetitions: "3",
    Timeout: "1000",
    DataBlockSize: "56",
    DSCP: "0",
  },
  tables: [],
  run: (service, read, signal) =>
    requireInput(read, "Host", "Error_CannotResolveHostName") ??
    service
      .ipPing(
        {
          ...common(read),
          host: read("Host"),
          numberOfRepetitions: Math.max(1, num(read("NumberOfRepetitions"))),
          timeoutMs: Math.max(1, num(read("Timeout"))),
          dataBlockSize: Math.max(1, num(read("DataBlockSize"))),
        },
        signal,
      )
      .pipe((e) =>
        mapOutcome(e, (r) => ({
          values: {
            ...withAddress(r.ipAddressUsed),
            SuccessCount: whole(r.successCount),
            FailureCount: whole(r.failureCount),
            AverageResponseTime: ms(r.averageResponseTimeUs),
            MinimumResponseTime: ms(r.minimumResponseTimeUs),
            MaximumResponseTime: ms(r.maximumResponseTimeUs),
            AverageResponseTimeDetailed: whole(r.averageResponseTimeUs),
            MinimumResponseTimeDetailed: whole(r.minimumResponseTimeUs),
            MaximumResponseTimeDetailed: whole(r.maximumResponseTimeUs),
          },
        })),
      ),
};

const traceRoute: DiagnosticTest = {
  kind: "traceRoute",
  object: "IP.Diagnostics.TraceRoute.",
  defaults: {
    ProtocolVersion: "Any",
    NumberOfTries: "3",
    Timeout: "5000",
    DataBlockSize: "38",
    DSCP: "0",
    MaxHopCount: "30",
  },
  tables: ["RouteHops."],
  run: (service, read, signal) =>
    requireInput(read, "Host", "Error_CannotResolveHostName") ??
    service
      .traceRoute(
        {
          ...common(read),
          host: read("Host"),
          numberOfTries: Math.min(3, Math.max(1, num(read("NumberOfTries")))),
          timeoutMs: Math.max(1, num(read("Timeout"))),
          dataBlockSize: Math.max(1, num(read("DataBlockSize"))),
          maxHopCount: Math.min(64, Math.max(1, num(read("MaxHopCount")))),
        },
        signal,
      )
      .pipe((e) =>
        mapOutcome(e, (r) => ({
          values: { ...withAddress(r.ipAddressUsed), ResponseTime: whole(r.responseTimeMs) },
          rows: {
            "RouteHops.": r.hops.map((h) => ({
              Host: h.host,
              HostAddress: h.hostAddress,
              ErrorCode: whole(h.errorCode),
              RTTimes: h.rtTimesMs.map(whole).join(","),
            })),
          },
        })),
      ),
};

const downloadDiagnostics: DiagnosticTest = {
  kind: "downloadDiagnostics",
  object: "IP.Diagnostics.DownloadDiagnostics.",
  defaults: {
    ...transferDefaults,
    DownloadTransports: "HTTP",
    DownloadDiagnosticMaxConnections: "1",
    DownloadDiagnosticsMaxIncrementalResult: "1",
  },
  tables: ["PerConnectionResult.", "IncrementalResult."],
  run: (service, read, signal) =>
    requireInput(read, "DownloadURL", "Error_InitConnectionFailed") ??
    service
      .downloadDiagnostics({ ...transferInput(read), url: read("DownloadURL") }, signal)
      .pipe((e) =>
        mapOutcome(e, (r) => ({
          values: {
            ...withAddress(r.ipAddressUsed),
            ...transferTimes(r),
            TestBytesReceived: whole(r.testBytesReceived),
            TotalBytesReceived: whole(r.totalBytesReceived),
            TotalBytesSent: whole(r.totalBytesSent),
          },
        })),
      ),
};

const uploadDiagnostics: DiagnosticTest = {
  kind: "uploadDiagnostics",
  object: "IP.Diagnostics.UploadDiagnostics.",
  defaults: {
    ...transferDefaults,
    UploadTransports: "HTTP",
    UploadDiagnosticsMaxConnections: "1",
    UploadDiagnosticsMaxIncrementalResult: "1",
  },
  tables: ["PerConnectionResult.", "IncrementalResult."],
  run: (service, read, signal) =>
    requireInput(read, "UploadURL", "Error_InitConnectionFailed") ??
    service
      .uploadDiagnostics(
        {
          ...transferInput(read),
          url: read("UploadURL"),
          testFileLength: num(read("TestFileLength")),
        },
        signal,
      )
      .pipe((e) =>
        mapOutcome(e, (r) => ({
          values: {
            ...withAddress(r.ipAddressUsed),
            ...transferTimes(r),
            TestBytesSent: whole(r.testBytesSent),
            TotalBytesReceived: whole(r.totalBytesReceived),
            TotalBytesSent: whole(r.totalBytesSent),
          },
        })),
      ),
};

const serverSelection: DiagnosticTest = {
  kind: "serverSelection",
  object: "IP.Diagnostics.ServerSelectionDiagnostics.",
  defaults: { ProtocolVersion: "Any", Protocol: "ICMP", NumberOfRepetitions: "3", Timeout: "1000" },
  tables: [],
  run: (service, read, signal) => {
    const run = service.serverSelection;
    if (run === undefined) return undefined;
    return run(
      {
        interface: read("Interface"),
        protocolVersion: protocolVersion(read("ProtocolVersion")),
        protocol: read("Protocol") === "UDP Echo" ? "UDP Echo" : "ICMP",
        hostList: read("HostList")
          .split(",")
          .map((h) => h.trim())
          .filter((h) => h !== ""),
        numberOfRepetitions: Math.max(1, num(read("NumberOfRepetitions"))),
        timeoutMs: Math.max(1, num(read("Timeout"))),
      },
      signal,
    ).pipe((e) =>
      mapOutcome(e, (r) => ({
        values: {
          ...withAddress(r.ipAddressUsed),
          FastestHost: r.fastestHost,
          // TR-181 gives these three in microseconds for ServerSelectionDiagnostics.
          MinimumResponseTime: whole(r.minimumResponseTimeUs),
          AverageResponseTime: whole(r.averageResponseTimeUs),
          MaximumResponseTime: whole(r.maximumResponseTimeUs),
        },
      })),
    );
  },
};

/** Every test the agent supports, in the order of TR-181. */
export const diagnosticTests: readonly DiagnosticTest[] = [
  ipPing,
  traceRoute,
  downloadDiagnostics,
  uploadDiagnostics,
  serverSelection,
];
