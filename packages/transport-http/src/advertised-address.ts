/**
 * The ConnectionRequestURL a CPE publishes (requirement C1): `http://host:port/path` with a
 * host the ACS can reach. A wildcard bind address (0.0.0.0, ::) is never published: the first
 * non-internal IPv4 address of the machine stands in for it, or 127.0.0.1 when there is none.
 * IPv6 literals go in brackets.
 * @module
 */
import { isIPv6 } from "node:net";
import { networkInterfaces } from "node:os";

/** The subset of `os.networkInterfaces()` used here (injectable for tests). */
export type InterfaceTable = Readonly<
  Record<
    string,
    | ReadonlyArray<{
        readonly address: string;
        readonly family: string | number;
        readonly internal: boolean;
      }>
    | undefined
  >
>;

/** What the URL is built from. */
export interface ConnectionRequestUrlInput {
  /** The address the server is bound to. */
  readonly boundHost: string;
  readonly port: number;
  /** The path, starting with "/". */
  readonly path: string;
  /** A host (name or address) to publish instead of the bound address (NAT, port mapping). */
  readonly advertisedHost?: string;
  /** Network interfaces; the machine's by default. */
  readonly interfaces?: InterfaceTable;
}

const wildcard = new Set(["", "0.0.0.0", "::", "[::]", "::0"]);

/** Picks the host to publish for a server bound to `boundHost`. */
export const reachableHost = (boundHost: string, interfaces?: InterfaceTable): string => {
  if (!wildcard.has(boundHost)) return boundHost;
  const table = interfaces ?? (networkInterfaces() as InterfaceTable);
  for (const list of Object.values(table)) {
    for (const entry of list ?? []) {
      // Node 18.0-18.3 reported family as a number.
      if (!entry.internal && (entry.family === "IPv4" || entry.family === 4)) return entry.address;
    }
  }
  return "127.0.0.1";
};

/** Builds the ConnectionRequestURL. */
export const connectionRequestUrl = (input: ConnectionRequestUrlInput): string => {
  const host = input.advertisedHost ?? reachableHost(input.boundHost, input.interfaces);
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  const hostPart = isIPv6(bare) ? `[${bare}]` : host;
  return `http://${hostPart}:${input.port}${input.path}`;
};
