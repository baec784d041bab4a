/**
 * Multicast file-server addresses: a Download URL whose host is an IPv4 group (224.0.0.0/4)
 * or an IPv6 one (ff00::/8) asks the device to join a multicast group. The HTTP file transfer
 * cannot (HTTP is unicast), which TR-069 reports as fault 9014.
 * @module
 */
import { isIPv4, isIPv6 } from "node:net";

/** True when `hostname` (as `URL.hostname` gives it, IPv6 in brackets) is a multicast group. */
export const isMulticastHost = (hostname: string): boolean => {
  const host =
    hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
  if (isIPv4(host)) {
    const first = Number(host.slice(0, host.indexOf(".")));
    return first >= 224 && first <= 239;
  }
  return isIPv6(host) && /^ff[0-9a-f]{0,2}:/i.test(host);
};
