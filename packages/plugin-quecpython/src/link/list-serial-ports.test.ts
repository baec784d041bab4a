import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classifyPorts, discoverReplPorts } from "./discover-ports.js";
import { listSerialPorts, type SerialPortListing } from "./list-serial-ports.js";

const noUdevadm = () =>
  Promise.reject(Object.assign(new Error("spawn udevadm ENOENT"), { code: "ENOENT" }));

let sys = "";
const dirs: string[] = [];

/**
 * A sysfs laid out as Linux lays out an EC600N (2c7c:6001, ttyUSB0..5 on interfaces 0..5),
 * a CH340 adapter on ttyACM0 (its tty sits right under the interface), and ttyS0.
 */
beforeAll(async () => {
  const root = await mkdtemp(join(tmpdir(), "cpekit-sysfs-"));
  dirs.push(root);
  sys = join(root, "sys");
  const put = async (dir: string, files: Record<string, string>) => {
    await mkdir(dir, { recursive: true });
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), `${text}\n`);
  };
  const quectel = join(sys, "devices/pci0000:00/0000:00:14.0/usb1/1-2");
  await put(quectel, {
    idVendor: "2c7c",
    idProduct: "6001",
    serial: "0000",
    manufacturer: "Quectel",
  });
  const tty = join(sys, "class/tty");
  await mkdir(tty, { recursive: true });
  for (let i = 0; i < 6; i++) {
    const iface = join(quectel, `1-2:1.${i}`);
    await put(iface, { bInterfaceNumber: `0${i}` });
    await mkdir(join(iface, `ttyUSB${i}`, "tty", `ttyUSB${i}`), { recursive: true });
    await mkdir(join(tty, `ttyUSB${i}`));
    await symlink(join(iface, `ttyUSB${i}`), join(tty, `ttyUSB${i}`, "device"));
  }
  const ch340 = join(sys, "devices/pci0000:00/0000:00:14.0/usb1/1-3");
  await put(ch340, { idVendor: "1a86", idProduct: "7523" });
  await put(join(ch340, "1-3:1.0"), { bInterfaceNumber: "00" });
  await mkdir(join(tty, "ttyACM0"));
  await symlink(join(ch340, "1-3:1.0"), join(tty, "ttyACM0", "device"));
  await mkdir(join(sys, "devices/pnp0/00:00/tty/ttyS0"), { recursive: true });
  await mkdir(join(tty, "ttyS0"));
  await symlink(join(sys, "devices/pnp0/00:00"), join(tty, "ttyS0", "device"));
});

afterAll(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

const linuxWithout = (sysRoot: string): SerialPortListing => ({
  serialList: noUdevadm,
  sysRoot,
  platform: "linux",
});

describe("listing serial ports for --port auto", () => {
  it("without udevadm (spawn udevadm ENOENT) reads the USB serial ports from sysfs, and discovery finds the EC600N REPL (interface 5)", async () => {
    const ports = await listSerialPorts(linuxWithout(sys));
    expect(ports.map((p) => p.path)).toEqual([
      "/dev/ttyACM0",
      ...[0, 1, 2, 3, 4, 5].map((i) => `/dev/ttyUSB${i}`),
    ]);
    expect(ports.find((p) => p.path === "/dev/ttyUSB5")).toMatchObject({
      vendorId: "2c7c",
      productId: "6001",
      serialNumber: "0000",
      interfaceNumber: 5,
    });
    expect(ports.find((p) => p.path === "/dev/ttyACM0")).toMatchObject({
      vendorId: "1a86",
      interfaceNumber: 0,
    });
    const classified = classifyPorts(ports);
    expect(classified.filter((p) => p.role === "at").map((p) => p.path)).toEqual(["/dev/ttyUSB3"]);
    const repl = await discoverReplPorts(() => listSerialPorts(linuxWithout(sys)));
    expect(repl.map((p) => p.path)).toEqual(["/dev/ttyUSB5"]);
  });

  it("with neither udevadm nor sysfs, says plainly that auto-discovery needs udev and how to name the port", async () => {
    const missing = join(sys, "..", "no-sys");
    await expect(listSerialPorts(linuxWithout(missing))).rejects.toThrow(
      /port auto-discovery needs udev \(udevadm.*\).*--port \/dev\/ttyUSB5/,
    );
  });

  it("uses serialport's list where it works, and passes its other failures and other platforms' through", async () => {
    const listed = [{ path: "/dev/ttyUSB7", vendorId: "2c7c" }];
    expect(
      await listSerialPorts({ serialList: async () => listed, sysRoot: sys, platform: "linux" }),
    ).toBe(listed);
    const denied = Object.assign(new Error("EACCES"), { code: "EACCES" });
    await expect(
      listSerialPorts({
        serialList: () => Promise.reject(denied),
        sysRoot: sys,
        platform: "linux",
      }),
    ).rejects.toBe(denied);
    await expect(
      listSerialPorts({ serialList: noUdevadm, sysRoot: sys, platform: "darwin" }),
    ).rejects.toThrow("spawn udevadm ENOENT");
  });
});
