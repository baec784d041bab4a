import { describe, expect, it } from "vitest";
import {
  classifyPorts,
  discoverReplPorts,
  interfaceNumberOf,
  type PortInfoLike,
} from "./discover-ports.js";

const linux: PortInfoLike[] = [
  { path: "/dev/ttyS0" },
  ...[0, 1, 2, 3, 4, 5].map((i) => ({
    path: `/dev/ttyUSB${i}`,
    vendorId: "2c7c",
    productId: "6001",
    pnpId: `usb-Quectel_EC600N-CN_0000-if0${i}-port0`,
  })),
  {
    path: "/dev/ttyUSB9",
    vendorId: "1a86",
    productId: "7523",
    pnpId: "usb-1a86_USB_Serial-if00-port0",
  },
];

const windows: PortInfoLike[] = [2, 8, 9].map((mi) => ({
  path: `COM${10 + mi}`,
  vendorId: "2C7C",
  productId: "0901",
  pnpId: `USB\\VID_2C7C&PID_0901&MI_0${mi}\\6&3A1B2C3D&0&000${mi}`,
}));

describe("port discovery", () => {
  it("finds the EC600N REPL on Linux by udev interface number (PID 6001, MI_05)", () => {
    const ports = classifyPorts(linux);
    expect(ports.map((p) => p.path)).not.toContain("/dev/ttyUSB9");
    expect(ports.filter((p) => p.role === "repl").map((p) => p.path)).toEqual(["/dev/ttyUSB5"]);
    expect(ports.filter((p) => p.role === "at").map((p) => p.path)).toEqual(["/dev/ttyUSB3"]);
  });

  it("finds the EC200U REPL on Windows by MI_08 (PID 0901), hex ids in any case", () => {
    const ports = classifyPorts(windows);
    expect(ports.find((p) => p.role === "repl")).toMatchObject({
      path: "COM18",
      interfaceNumber: 8,
    });
    expect(ports.find((p) => p.role === "at")).toMatchObject({ path: "COM12" });
  });

  it("finds the BG95 REPL on MI_01 (PID 0700) and by friendly name", async () => {
    const list: PortInfoLike[] = [
      {
        path: "/dev/ttyUSB1",
        vendorId: "2c7c",
        productId: "0700",
        pnpId: "usb-Quectel_BG95-if01-port0",
      },
      {
        path: "COM3",
        vendorId: "2c7c",
        productId: "6001",
        friendlyName: "Quectel USB MI05 COM Port (COM3)",
      },
    ];
    const repl = await discoverReplPorts(async () => list);
    expect(repl.map((p) => p.path)).toEqual(["/dev/ttyUSB1", "COM3"]);
  });

  it("reports a Quectel port without interface number as unknown, not as the REPL", async () => {
    const mac: PortInfoLike[] = [
      { path: "/dev/tty.usbmodem1", vendorId: "2c7c", productId: "6001" },
    ];
    expect(classifyPorts(mac)).toEqual([
      {
        path: "/dev/tty.usbmodem1",
        productId: "6001",
        role: "unknown",
        modules: "EC600N/EC600S/EC200N class",
      },
    ]);
    expect(await discoverReplPorts(async () => mac)).toEqual([]);
  });

  it("reads the interface number from the path of a by-id link", () => {
    expect(interfaceNumberOf({ path: "/dev/serial/by-id/usb-Quectel_EC600N-if05-port0" })).toBe(5);
    expect(interfaceNumberOf({ path: "/dev/ttyUSB0" })).toBeUndefined();
  });
});

describe("openSerialPort", () => {
  it("fails with a typed ConnectFailed error when the port does not exist", async () => {
    const { openSerialPort } = await import("./open-serial-port.js");
    const err = await openSerialPort("/dev/cpekit-no-such-port").catch((e: unknown) => e);
    expect(err).toMatchObject({ _tag: "BridgeLinkError", reason: "ConnectFailed" });
  });
});
