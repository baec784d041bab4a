/**
 * The contract of a device plugin that `cpekit run` loads from a module: a profile whose
 * `plugin.name` is not a built-in name (`generic`, `quecpython`) names a module, by path
 * (relative to the profile) or by package name, whose default export is a {@link DevicePlugin}.
 *
 * A plugin is plain code: `open` returns the device (its actions and the providers of the
 * values that live on it), and `close` (optional) releases what `open` took. The agent, the
 * store, the transport and the connection-request server are the CLI's.
 * @module
 */
import type {
  DataModelSchema,
  DeviceActionsService,
  DeviceIdStruct,
  DiagnosticsService,
  ParameterProvider,
  SoftwareModulesService,
} from "@cpekit/core";
import type { PluginCpeRequests } from "./plugin-cpe-requests.js";

/** What `cpekit run` gives a plugin when it opens the device. */
export interface DevicePluginContext {
  /** The DeviceId of the profile's `device:` section (its serial number may be empty). */
  readonly deviceId: DeviceIdStruct;
  /** The profile's `plugin.options`, as written: the plugin checks them. */
  readonly options: Readonly<Record<string, unknown>>;
  /** The selected data model; providers serve paths of it. */
  readonly schema: DataModelSchema;
}

/** What a plugin sees of a running agent. */
export interface PluginAgent {
  readonly cpeRequests: PluginCpeRequests;
}

/** The device a plugin opened. */
export interface OpenedDevice {
  /** Reboot, factory reset, applying a downloaded file. */
  readonly deviceActions: DeviceActionsService;
  /** Providers of the values that live on the device, in priority order. */
  readonly providers?: readonly ParameterProvider[];
  /** DeviceId fields the device knows better than the profile (a serial number read from it). */
  readonly deviceId?: Partial<DeviceIdStruct>;
  /** Factory values by full parameter name; the profile's `dataModel.values` win over them. */
  readonly initialValues?: Readonly<Record<string, string>>;
  /** Instances that exist from the start, by table path (`Device.X.Table.`). */
  readonly initialInstances?: Readonly<Record<string, readonly number[]>>;
  /** The device's IP diagnostics (IPPing, TraceRoute, ...), when it runs them. */
  readonly diagnostics?: DiagnosticsService;
  /** The device's software modules (ChangeDUState, `Device.SoftwareModules.`), when it has them. */
  readonly softwareModules?: SoftwareModulesService;
  /**
   * Called with each agent that starts (the first and every one after a reboot): keep its
   * `cpeRequests` to make CPE-initiated RPCs (Kicked, RequestDownload,
   * AutonomousTransferComplete, GetRPCMethods), each saved before its Promise resolves.
   */
  readonly attach?: (agent: PluginAgent) => void | Promise<void>;
  /** A short description for the log (`temperature sensor on /dev/ttyUSB0`). */
  readonly description?: string;
  /** Releases what `open` took; called once when `cpekit run` stops. */
  readonly close?: () => void | Promise<void>;
}

/** A device plugin: the default export of its module. */
export interface DevicePlugin {
  /** The plugin's name, for logs and errors. */
  readonly name: string;
  /** Opens the device once per `cpekit run`; the device stays open across agent restarts. */
  readonly open: (context: DevicePluginContext) => OpenedDevice | Promise<OpenedDevice>;
}

/** True when `value` has the shape of a {@link DevicePlugin} (a module's default export). */
export const isDevicePlugin = (value: unknown): value is DevicePlugin =>
  typeof value === "object" &&
  value !== null &&
  typeof (value as { name?: unknown }).name === "string" &&
  typeof (value as { open?: unknown }).open === "function";
