/**
 * Listing the host's serial ports for `--port auto`. serialport's `SerialPort.list()` runs
 * `udevadm` on Linux; where there is none (a container, a minimal image) it fails with
 * "spawn udevadm ENOENT". The same facts are in sysfs, so on Linux the USB serial ports
 * (`ttyUSB*`, `ttyACM*`) are then read from `/sys/class/tty`: the USB interface number from the
 * interface's `bInterfaceNumber`, the ids and serial from the USB device above it. Where neither
 * works, the error says plainly that discovery needs udev or sysfs and how to name the port.
 * @module
 */
import { readdir, readFile, realpath } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { PortInfoLike } from "./discover-ports.js";

/** What the lister uses; the defaults are the host's. */
export interface SerialPortListing {
  /** serialport's list (udev on Linux). */
  readonly serialList: () => Promise<readonly PortInfoLike[]>;
  /** Root of sysfs (`/sys`); tests give a folder laid out the same way. */
  readonly sysRoot: string;
  readonly platform: NodeJS.Platform;
}

const hostListing: SerialPortListing = {
  // Loaded on use: serialport's native binding is heavy (see open-serial-port.ts).
  serialList: () => import("serialport").then(({ SerialPort }) => SerialPort.list()),
  sysRoot: "/sys",
  platform: process.platform,
};

const readTrimmed = (path: string): Promise<string | undefined> =>
  readFile(path, "utf8").then(
    (t) => t.trim() || undefined,
    () => undefined,
  );

/** The nearest folder from `start` upwards (not above `root`) that has the file `name`. */
const upwardWith = async (
  start: string,
  name: string,
  root: string,
): Promise<string | undefined> => {
  for (let dir = start; dir.startsWith(root) && dir !== dirname(dir); dir = dirname(dir))
    if ((await readTrimmed(join(dir, name))) !== undefined) return dir;
  return undefined;
};

/** The USB serial ports under `sysRoot/class/tty`, read without udev. */
export const listSerialPortsFromSysfs = async (sysRoot: string): Promise<PortInfoLike[]> => {
  const ttyDir = join(sysRoot, "class", "tty");
  const names = (await readdir(ttyDir)).filter((n) => /^tty(USB|ACM)\d+$/.test(n)).sort();
  const root = await realpath(sysRoot);
  const ports: PortInfoLike[] = [];
  for (const name of names) {
    let device: string;
    try {
      device = await realpath(join(ttyDir, name, "device"));
    } catch {
      continue; // a tty with no device behind it
    }
    const iface = await upwardWith(device, "bInterfaceNumber", root);
    const usb = await upwardWith(iface ?? device, "idVendor", root);
    const ifaceNumber = iface && (await readTrimmed(join(iface, "bInterfaceNumber")));
    const field = (file: string) => (usb ? readTrimmed(join(usb, file)) : undefined);
    ports.push({
      path: `/dev/${name}`,
      vendorId: await field("idVendor"),
      productId: await field("idProduct"),
      serialNumber: await field("serial"),
      manufacturer: await field("manufacturer"),
      interfaceNumber: ifaceNumber ? Number.parseInt(ifaceNumber, 16) : undefined,
    });
  }
  return ports;
};

const isMissingUdevadm = (cause: unknown): boolean =>
  (cause as NodeJS.ErrnoException | undefined)?.code === "ENOENT" ||
  /udevadm/.test(cause instanceof Error ? cause.message : String(cause));

/**
 * The host's serial ports: serialport's list, or on Linux without a working `udevadm` the USB
 * serial ports read from sysfs. Rejects with a plain message when neither can list them.
 */
export const listSerialPorts = async (
  listing: SerialPortListing = hostListing,
): Promise<readonly PortInfoLike[]> => {
  try {
    return await listing.serialList();
  } catch (cause) {
    if (listing.platform !== "linux" || !isMissingUdevadm(cause)) throw cause;
    try {
      return await listSerialPortsFromSysfs(listing.sysRoot);
    } catch {
      throw new Error(
        `port auto-discovery needs udev (udevadm, which is not installed here) or ${join(listing.sysRoot, "class", "tty")}; name the module's REPL port instead, e.g. --port /dev/ttyUSB5`,
      );
    }
  }
};
