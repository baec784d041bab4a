import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { BridgeLinkError, type BridgeLinkErrorReason } from "../link/bridge-link-error.js";
import { configFilePath } from "./bridge-actions.js";
import { installFaultCode } from "./fota-fault.js";

const remote = (detail: string) => new BridgeLinkError({ reason: "Remote", detail });

describe("install failures as TransferComplete faults", () => {
  it("§1.13 maps the bridge's fota errors: refused 9010, callback error or time-out 9017, bad image 9018", () => {
    expect(installFaultCode(remote("download refused"))).toBe(9010);
    expect(installFaultCode(remote("download failed"))).toBe(9010);
    expect(installFaultCode(remote("fota error 504"))).toBe(9017);
    expect(installFaultCode(remote("fota timeout"))).toBe(9017);
    expect(installFaultCode(remote("image verify failed"))).toBe(9018);
    expect(installFaultCode(new BridgeLinkError({ reason: "Timeout", detail: "no reply" }))).toBe(
      9017,
    );
    expect(
      installFaultCode(new BridgeLinkError({ reason: "Disconnected", detail: "port gone" })),
    ).toBe(9017);
    expect(installFaultCode(new Error("other"))).toBe(9010);
  });

  test.prop([
    fc.oneof(
      fc
        .record({
          reason: fc.constantFrom<BridgeLinkErrorReason>(
            "Timeout",
            "Disconnected",
            "Closed",
            "Remote",
            "Protocol",
            "ConnectFailed",
          ),
          detail: fc.string(),
        })
        .map((fields) => new BridgeLinkError(fields)),
      fc.anything(),
    ),
  ])(
    "§1.13 every install failure (any link error reason or detail, or any other cause) maps to 9010, 9017 or 9018",
    (cause) => {
      expect([9010, 9017, 9018]).toContain(installFaultCode(cause));
    },
  );
});

describe("where a downloaded configuration file goes on the module", () => {
  test.prop([fc.string({ maxLength: 80 })])(
    "the path is always one file directly under /usr, whatever the TargetFileName",
    (target) => {
      const path = configFilePath(target, "/usr/cpekit_config.bin");
      expect(path.startsWith("/usr/")).toBe(true);
      const name = path.slice("/usr/".length);
      expect(name).not.toMatch(/[\\/]/);
      expect([".", ".."]).not.toContain(name);
    },
  );

  it("keeps the last segment of a usable TargetFileName", () => {
    expect(configFilePath("cfg/apn.json", "/usr/x")).toBe("/usr/apn.json");
    expect(configFilePath("../../etc/passwd", "/usr/x")).toBe("/usr/passwd");
    expect(configFilePath("", "/usr/x")).toBe("/usr/x");
  });
});
