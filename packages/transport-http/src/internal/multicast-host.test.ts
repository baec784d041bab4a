import { describe, expect, it } from "vitest";
import { isMulticastHost } from "./multicast-host.js";

describe("multicast hosts (§1.14-9014)", () => {
  it("§1.14-9014 IPv4 224.0.0.0 to 239.255.255.255 and IPv6 ff00::/8 are groups", () => {
    for (const h of ["224.0.0.1", "239.255.255.250", "[ff02::1]", "[FF05::1:3]", "ff0e::1"])
      expect(isMulticastHost(h), h).toBe(true);
  });

  it("§1.14-9014 unicast addresses and names are not", () => {
    for (const h of [
      "223.255.255.255",
      "240.0.0.1",
      "127.0.0.1",
      "[::1]",
      "[fe80::1]",
      "acs.example.net",
      "ff02.example.net",
    ])
      expect(isMulticastHost(h), h).toBe(false);
  });
});
