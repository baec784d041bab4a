/**
 * The device the demo runs, as a profile: the same path `cpekit run` takes (decode, settle,
 * start), so the demo shows what a user's profile would do.
 *
 * A new kind of device joins the demo by adding a `DemoDevice` here and listing it in
 * {@link demoDevices}; the tour does not change.
 * @module
 */
import { profilePaths } from "@cpekit/datamodel-tr181";

/**
 * The demo devices' data model: the cellular-module profile, with the IPPing diagnostic the
 * tour runs (a profile may list the paths it supports instead of naming a profile).
 */
export const demoProfilePaths: readonly string[] = [
  ...new Set([
    ...(profilePaths("cellular-module", "Device") ?? []),
    "Device.IP.Diagnostics.IPPing.",
  ]),
];

/** A device the demo can run. */
export interface DemoDevice {
  /** The name `--device` selects. */
  readonly name: string;
  readonly description: string;
  /**
   * The profile of the device, pointed at the demo's ACS and store, with UDP connection
   * requests (Annex G) on 127.0.0.1 at `udpPort`: a port picked once, so that the address the
   * device publishes (UDPConnectionRequestAddress, given as its initial value) stays the same
   * across the tour's reboot and no `4 VALUE CHANGE` session comes between the tour's steps.
   */
  readonly profile: (acsUrl: string, storePath: string, udpPort: number) => unknown;
  /** A read-only parameter and a writable one with a value of the wrong type, for the 9003. */
  readonly badSet: readonly { readonly name: string; readonly value: string }[];
  /** A valid write. */
  readonly goodSet: { readonly name: string; readonly value: string };
  /** A writable table for AddObject. */
  readonly table: string;
  /** The subtree listed by GetParameterNames. */
  readonly browse: string;
  /** The parameters read by GetParameterValues. */
  readonly read: readonly string[];
}

/** The connection-request credentials of the demo devices (the demo's ACS knows them). */
export const demoConnectionRequestCredentials = {
  username: "cpekit-demo",
  password: "demo-cr-secret",
} as const;

/** The UDPConnectionRequestAddress of a demo device listening on `udpPort`. */
export const demoUdpConnectionRequestAddress = (udpPort: number): string => `127.0.0.1:${udpPort}`;

/** The initial values that make the published UDP address the one the device binds. */
const udpValues = (udpPort: number) => ({
  "Device.ManagementServer.UDPConnectionRequestAddress": demoUdpConnectionRequestAddress(udpPort),
});

/** A generic Device:2 cellular module whose state is its store. */
export const genericCellularModule: DemoDevice = {
  name: "generic",
  description: "generic Device:2 cellular module (values in the store)",
  profile: (acsUrl, storePath, udpPort) => ({
    acs: { url: acsUrl },
    device: {
      manufacturer: "cpekit",
      oui: "00CAFE",
      productClass: "DemoModule",
      serialNumber: "DEMO0001",
    },
    dataModel: {
      root: "Device",
      profile: demoProfilePaths,
      values: {
        "Device.DeviceInfo.SoftwareVersion": "1.0.0",
        "Device.DeviceInfo.HardwareVersion": "A1",
        "Device.DeviceInfo.ModelName": "cpekit demo module",
        // No periodic Inform while the tour runs: every session is one the tour asked for.
        "Device.ManagementServer.PeriodicInformEnable": "false",
        ...udpValues(udpPort),
      },
    },
    connectionRequest: {
      address: "127.0.0.1",
      port: 0,
      path: "/cr",
      ...demoConnectionRequestCredentials,
      udp: { address: "127.0.0.1", port: udpPort },
    },
    store: storePath,
    plugin: { name: "generic" },
  }),
  badSet: [
    { name: "Device.DeviceInfo.Manufacturer", value: "Someone Else" },
    { name: "Device.ManagementServer.PeriodicInformInterval", value: "often" },
  ],
  goodSet: { name: "Device.Time.NTPServer1", value: "ntp.example.net" },
  table: "Device.Cellular.AccessPoint.",
  browse: "Device.DeviceInfo.",
  read: [
    "Device.DeviceInfo.SerialNumber",
    "Device.DeviceInfo.SoftwareVersion",
    "Device.ManagementServer.ConnectionRequestURL",
  ],
};

/**
 * A QuecPython module simulated in MicroPython (WebAssembly), driven through the generated
 * bridge by `@cpekit/plugin-quecpython`: DeviceInfo and Cellular values come from the module.
 */
export const simulatedQuecPythonModule: DemoDevice = {
  ...genericCellularModule,
  name: "quecpython",
  description: "simulated QuecPython module (the generated bridge in MicroPython/WebAssembly)",
  profile: (acsUrl, storePath, udpPort) => {
    const generic = genericCellularModule.profile(acsUrl, storePath, udpPort) as Record<
      string,
      unknown
    >;
    return {
      ...generic,
      // Manufacturer, model and serial number (the IMEI) come from the module.
      device: { manufacturer: "Quectel", oui: "00CAFE", productClass: "" },
      dataModel: {
        root: "Device",
        profile: demoProfilePaths,
        values: {
          "Device.ManagementServer.PeriodicInformEnable": "false",
          ...udpValues(udpPort),
        },
      },
      plugin: { name: "quecpython", options: { simulate: true, manufacturerOui: "00CAFE" } },
    };
  },
  read: [
    "Device.DeviceInfo.SerialNumber",
    "Device.DeviceInfo.SoftwareVersion",
    "Device.Cellular.Interface.1.NetworkInUse",
    "Device.Cellular.Interface.1.RSSI",
    "Device.ManagementServer.ConnectionRequestURL",
  ],
};

/** The devices `cpekit demo --device` can run; the first is the default. */
export const demoDevices: readonly DemoDevice[] = [
  simulatedQuecPythonModule,
  genericCellularModule,
];
