/**
 * A `ParameterProvider` that serves live values from the host this agent runs on (`node:os`):
 *
 * | parameter | from |
 * |---|---|
 * | `Device.DeviceInfo.UpTime` | `os.uptime()`, seconds |
 * | `Device.DeviceInfo.MemoryStatus.Total`, `.Free` | `os.totalmem()`, `os.freemem()`, KiB |
 * | `Device.DeviceInfo.HostName` (writable) | `os.hostname()` until the ACS sets one |
 * | `Device.IP.Interface.1.Name`, `.Status`, `.IPv4Address.1.IPAddress` | one of `os.networkInterfaces()` |
 *
 * A provider declares the schema paths it serves; the data model asks it for their values (one
 * batched call per RPC) and keeps everything else in the device's store. Its setter is where
 * device-side validation goes: the schema already checked the type and length of a value, the
 * provider checks what only the device knows (here: that a host name is a valid DNS name) and
 * refuses with fault 9007, "invalid parameter value".
 * @module
 */
import * as os from "node:os";
import { type ParameterProvider, providerFromPromises, toSchemaPath } from "@cpekit/core";

/** The parts of `node:os` the provider reads (a test may pass fixed ones). */
export type HostOs = Pick<
  typeof os,
  "uptime" | "totalmem" | "freemem" | "hostname" | "networkInterfaces"
>;

/** How the provider is set up. */
export interface HostProviderOptions {
  /** The host interface published as `Device.IP.Interface.1` (default: see {@link pickInterface}). */
  readonly interfaceName?: string;
  /** Called with a host name the ACS set and the provider accepted (applying it needs root). */
  readonly onHostName?: (name: string) => void;
  readonly os?: HostOs;
}

const IP_INTERFACE = "Device.IP.Interface.{i}.";

/** The schema paths the provider serves. */
export const hostProviderPaths: readonly string[] = [
  "Device.DeviceInfo.UpTime",
  "Device.DeviceInfo.MemoryStatus.Total",
  "Device.DeviceInfo.MemoryStatus.Free",
  "Device.DeviceInfo.HostName",
  `${IP_INTERFACE}Name`,
  `${IP_INTERFACE}Status`,
  `${IP_INTERFACE}IPv4Address.{i}.IPAddress`,
];

/** The instances the provider's interface values live in (instance 1 of each table). */
export const hostProviderInstances: Readonly<Record<string, readonly number[]>> = {
  "Device.IP.Interface.": [1],
  "Device.IP.Interface.1.IPv4Address.": [1],
};

/** The first interface with an IPv4 address, an external one if there is one. */
export const pickInterface = (host: HostOs): string => {
  const withIpv4 = Object.entries(host.networkInterfaces()).filter(([, addresses]) =>
    addresses?.some((a) => a.family === "IPv4"),
  );
  const external = withIpv4.find(([, addresses]) => addresses?.some((a) => !a.internal));
  return (external ?? withIpv4[0])?.[0] ?? "lo";
};

/** RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens, ≤ 253 chars. */
export const isValidHostName = (name: string): boolean =>
  name.length > 0 &&
  name.length <= 253 &&
  name.split(".").every((label) => /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(label));

/** An error the data model turns into the CWMP fault it carries. */
const invalidValue = (detail: string) => Object.assign(new Error(detail), { faultCode: 9007 });

/** The provider. Values are read when the ACS asks, never cached. */
export const hostParameterProvider = (options: HostProviderOptions = {}): ParameterProvider => {
  const host = options.os ?? os;
  const interfaceName = options.interfaceName ?? pickInterface(host);
  let hostName: string | undefined; // set by the ACS; the host's own name until then

  const ipv4 = () =>
    host.networkInterfaces()[interfaceName]?.find((a) => a.family === "IPv4")?.address ?? "";
  const kib = (bytes: number) => String(Math.floor(bytes / 1024));

  /** The value of one parameter, by schema path (instance numbers are always 1 here). */
  const read = (schemaPath: string): string => {
    switch (schemaPath) {
      case "Device.DeviceInfo.UpTime":
        return String(Math.floor(host.uptime()));
      case "Device.DeviceInfo.MemoryStatus.Total":
        return kib(host.totalmem());
      case "Device.DeviceInfo.MemoryStatus.Free":
        return kib(host.freemem());
      case "Device.DeviceInfo.HostName":
        return hostName ?? host.hostname();
      case `${IP_INTERFACE}Name`:
        return interfaceName;
      case `${IP_INTERFACE}Status`:
        return host.networkInterfaces()[interfaceName] === undefined ? "NotPresent" : "Up";
      case `${IP_INTERFACE}IPv4Address.{i}.IPAddress`:
        return ipv4();
      default:
        throw new Error(`not served here: ${schemaPath}`);
    }
  };

  return providerFromPromises({
    name: "host",
    paths: hostProviderPaths,
    get: async (paths) => Object.fromEntries(paths.map((p) => [p, read(toSchemaPath(p))])),
    // The schema lets only HostName through (the others are read-only): validate, then apply.
    set: async (changes) => {
      for (const { path, value } of changes) {
        if (path !== "Device.DeviceInfo.HostName") throw invalidValue(`${path} is read-only`);
        if (!isValidHostName(value)) throw invalidValue(`"${value}" is not a valid host name`);
      }
      for (const { value } of changes) {
        hostName = value;
        options.onHostName?.(value);
      }
      return { status: 0 };
    },
  });
};
