/**
 * The device the conformance suite tests, seen from the outside: something that starts a CPE
 * agent pointed at a test ACS and stops it. The suite knows nothing of how the agent is built
 * (cpekit's `makeAgent`, another implementation in a child process, a real device behind a
 * proxy); the CLI supplies a factory for cpekit's own agent.
 * @module
 */
import type {
  AutonomousTransferComplete,
  CwmpMessage,
  GetRPCMethods,
  Kicked,
  RequestDownload,
} from "@cpekit/core";
import { Data, type Effect } from "effect";

/** How the suite starts a device for one scenario. */
export interface DeviceStartOptions {
  /** `ManagementServer.URL`: the test ACS of the scenario. */
  readonly acsUrl: string;
  /** Where the device keeps its durable state; unique per scenario, absent before the start. */
  readonly storePath: string;
  /**
   * Factory values the scenario needs (full parameter names to CWMP lexical values), e.g.
   * `Device.ManagementServer.CWMPRetryMinimumWaitInterval` to shorten retry waits.
   */
  readonly settings?: Readonly<Record<string, string>>;
}

/** The credentials an ACS must prove in a Connection Request (C3). */
export interface DeviceCredentials {
  readonly username: string;
  readonly password: string;
}

/**
 * A request the device makes of the ACS on its own initiative (the CPE→ACS methods of §1.4),
 * as its application or a plugin would ask for it: the suite names the message the ACS should
 * receive, the device makes it through its own API.
 */
export type CpeRequestTrigger =
  | Kicked
  | RequestDownload
  | AutonomousTransferComplete
  | GetRPCMethods;

/**
 * What came of a {@link CpeRequestTrigger}: the ACS's answer as the device's application got it
 * (a response, or the `Fault` it was refused with), or `notReported` when the device's policy
 * left it out (AutonomousTransferCompletePolicy).
 */
export type CpeRequestOutcome =
  | { readonly outcome: "answered"; readonly answer: CwmpMessage }
  | { readonly outcome: "notReported" };

/** A running device. */
export interface RunningDevice {
  /** The device key the ACS sees (`OUI-ProductClass-SerialNumber`, see `deviceKeyOf`). */
  readonly deviceId: string;
  /** `ManagementServer.ConnectionRequestURL` (loopback http). */
  readonly connectionRequestUrl: string;
  /** `ConnectionRequestUsername` / `ConnectionRequestPassword`. */
  readonly connectionRequestCredentials: DeviceCredentials;
  /** The root object of its data model: `Device.` or `InternetGatewayDevice.`. */
  readonly root: string;
  /** Power-cycles the device, keeping its stored state (scenarios needing it are skipped without). */
  readonly restart?: Effect.Effect<void, DeviceUnderTestError>;
  /**
   * Changes a value on the device side, as the device itself would (not through the ACS), so
   * notifications can be tested; scenarios needing it are skipped without.
   */
  readonly changeValue?: (name: string, value: string) => Effect.Effect<void, DeviceUnderTestError>;
  /** The parameters `changeValue` accepts. */
  readonly changeableParameters?: readonly string[];
  /**
   * Breaks (`broken` true) or repairs the device's own source of `name`, one of
   * `changeableParameters`: while broken, reading it fails inside the device, as a crashed
   * daemon or a plugin bug would (§1.14-9002). Scenarios needing it are skipped without.
   */
  readonly breakDeviceSource?: (
    name: string,
    broken: boolean,
  ) => Effect.Effect<void, DeviceUnderTestError>;
  /**
   * Makes the device send a CPE request of its own, through the API its application uses, and
   * waits for the ACS's answer (the device sends it in its next session; a request announced by
   * an event opens one). Scenarios needing it are skipped without.
   */
  readonly requestFromCpe?: (
    request: CpeRequestTrigger,
  ) => Effect.Effect<CpeRequestOutcome, DeviceUnderTestError>;
  /**
   * Installs a deployment-unit package (a cpekit DU package, see `@cpekit/core`'s
   * `deployment-unit-package.ts`) as the device's own user would, not asked by the ACS: the
   * device reports it with AutonomousDUStateChangeComplete when its policy says so. Scenarios
   * needing it are skipped without.
   */
  readonly installSoftwareLocally?: (
    packageBytes: Uint8Array,
  ) => Effect.Effect<void, DeviceUnderTestError>;
  /**
   * Signs a firmware image the way the device's maker does, for devices that install only
   * signed firmware (§1.14-9019: a tampered image is refused). Scenarios needing it are skipped
   * without.
   */
  readonly signFirmware?: (image: Uint8Array) => Uint8Array;
  /** How many times the device rebooted or was reset on the ACS's request (Reboot, FactoryReset). */
  readonly reboots?: Effect.Effect<number>;
  /** Stops the device and releases what it holds. Never fails; idempotent. */
  readonly stop: Effect.Effect<void>;
}

/** A factory of devices under test. */
export interface DeviceUnderTest {
  /** Shown in the report (e.g. `cpekit agent, Device:2 cellular-module profile`). */
  readonly name: string;
  /** Starts one device; the suite stops it when the scenario ends. */
  readonly start: (
    options: DeviceStartOptions,
  ) => Effect.Effect<RunningDevice, DeviceUnderTestError>;
}

/** A device could not be started, restarted or driven. */
export class DeviceUnderTestError extends Data.TaggedError("DeviceUnderTestError")<{
  readonly reason: "StartFailed" | "RestartFailed" | "Unsupported" | "Failed";
  readonly detail: string;
  readonly cause?: unknown;
}> {
  override get message(): string {
    return `device under test ${this.reason}: ${this.detail}`;
  }
}
