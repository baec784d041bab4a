import { deviceKeyOf as testkitDeviceKeyOf } from "@cpekit/acs-testkit";
import { describe, expect, it } from "vitest";
import { deviceKeyOf } from "./device-key.js";

describe("deviceKeyOf", () => {
  it("joins OUI, ProductClass and SerialNumber with dashes", () => {
    expect(
      deviceKeyOf({
        manufacturer: "Quectel",
        oui: "00CAFE",
        productClass: "EC200U",
        serialNumber: "866327040830317",
      }),
    ).toBe("00CAFE-EC200U-866327040830317");
  });

  it("leaves out an empty ProductClass", () => {
    expect(
      deviceKeyOf({ manufacturer: "X", oui: "00CAFE", productClass: "", serialNumber: "S1" }),
    ).toBe("00CAFE-S1");
  });

  it("names a device as the test kit's ACS does (the key the demo and scripts use)", () => {
    for (const productClass of ["", "P", "Home Gateway"]) {
      const id = { manufacturer: "M", oui: "A1B2C3", productClass, serialNumber: "S-9" };
      expect(deviceKeyOf(id)).toBe(testkitDeviceKeyOf(id));
    }
  });
});
