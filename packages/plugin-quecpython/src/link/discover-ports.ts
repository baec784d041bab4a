/**
 * Finding a Quectel module's REPL port among serial ports: USB vendor id 0x2C7C, and the REPL
 * interface of the product (docs/quecpython.md part 3): 6001 (EC600N class) MI_05, 0901
 * (EC600U/EC200U) MI_08, 0700 (BG95) MI_01. The interface number comes from the PnP id:
 * `...&MI_05\...` on Windows, `...-if05-port0` for Linux udev by-id names.
 * @module
 */
import { listSerialPorts } from "./list-serial-ports.js";

/** Quectel's USB vendor id. */
export const QUECTEL_VENDOR_ID = 0x2c7c;

/** REPL and AT interface numbers per USB product id. */
export const quectelInterfaces: Readonly<
  Record<string, { readonly modules: string; readonly repl: number; readonly at?: number }>
> = {
  "6001": { modules: "EC600N/EC600S/EC200N class", repl: 5, at: 3 },
  "0901": { modules: "EC600U/EC200U", repl: 8, at: 2 },
  "0700": { modules: "BG95", repl: 1 },
};

/** The fields of a `SerialPort.list()` entry that discovery reads. */
export interface PortInfoLike {
  readonly path: string;
  readonly vendorId?: string | undefined;
  readonly productId?: string | undefined;
  readonly pnpId?: string | undefined;
  readonly manufacturer?: string | undefined;
  readonly serialNumber?: string | undefined;
  readonly friendlyName?: string | undefined;
  /** The USB interface number, when the lister read it directly (the sysfs lister does). */
  readonly interfaceNumber?: number | undefined;
}

/** What a port of a Quectel module is. */
export type QuectelPortRole = "repl" | "at" | "other" | "unknown";

/** A serial port of a Quectel module. */
export interface QuectelPort {
  readonly path: string;
  readonly productId: string;
  readonly role: QuectelPortRole;
  /** The USB interface number, when the platform reports it. */
  readonly interfaceNumber?: number;
  /** The module family, for known product ids. */
  readonly modules?: string;
  readonly serialNumber?: string;
}

const hex4 = (id: string | undefined): string | undefined =>
  id === undefined ? undefined : id.toLowerCase().replace(/^0x/, "").padStart(4, "0");

/** The USB interface number in a PnP id or device path, when there is one. */
export const interfaceNumberOf = (port: PortInfoLike): number | undefined => {
  if (port.interfaceNumber !== undefined) return port.interfaceNumber;
  for (const text of [port.pnpId, port.path]) {
    if (!text) continue;
    const m = /[&\\]MI_([0-9A-F]{2})/i.exec(text) ?? /-if([0-9A-F]{2})(?:-port\d+)?$/i.exec(text);
    if (m) return Number.parseInt(m[1]!, 16);
  }
  return undefined;
};

const roleByName = (port: PortInfoLike): QuectelPortRole | undefined => {
  const name = port.friendlyName ?? "";
  if (/Quectel USB (MI05 COM|Serial-1) Port/i.test(name)) return "repl";
  if (/Quectel USB AT Port/i.test(name)) return "at";
  return undefined;
};

/** Picks the Quectel ports out of a port list and says which is the REPL. */
export const classifyPorts = (ports: readonly PortInfoLike[]): QuectelPort[] => {
  const out: QuectelPort[] = [];
  for (const port of ports) {
    if (hex4(port.vendorId) !== QUECTEL_VENDOR_ID.toString(16)) continue;
    const productId = hex4(port.productId) ?? "";
    const known = quectelInterfaces[productId];
    const iface = interfaceNumberOf(port);
    let role: QuectelPortRole = roleByName(port) ?? "unknown";
    if (role === "unknown" && known && iface !== undefined)
      role = iface === known.repl ? "repl" : iface === known.at ? "at" : "other";
    out.push({
      path: port.path,
      productId,
      role,
      ...(iface === undefined ? {} : { interfaceNumber: iface }),
      ...(known ? { modules: known.modules } : {}),
      ...(port.serialNumber ? { serialNumber: port.serialNumber } : {}),
    });
  }
  return out;
};

/**
 * The REPL ports of the Quectel modules attached to this host (listed by {@link listSerialPorts}
 * unless `list` is given). Ports whose interface number the platform does not report are left
 * out; `classifyPorts` lists them as `unknown`.
 */
export const discoverReplPorts = async (
  list: () => Promise<readonly PortInfoLike[]> = () => listSerialPorts(),
): Promise<QuectelPort[]> => classifyPorts(await list()).filter((p) => p.role === "repl");
