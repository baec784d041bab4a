import { DeviceActionError } from "@cpekit/core";
import { Effect, Either } from "effect";
import { describe, expect, it } from "vitest";
import { signFirmware, verifyFirmware } from "./signed-firmware.js";

const key = new Uint8Array(32).fill(7);
const image = new TextEncoder().encode("firmware 2.0");
const verdict = (file: Uint8Array, k = key) =>
  Effect.runSync(Effect.either(verifyFirmware(k, file)));

describe("signed firmware of the conformance device (§1.14-9019)", () => {
  it("§1.14-9019 a signed image verifies; it is the image and a 32-byte trailer", () => {
    const signed = signFirmware(key, image);
    expect(signed.length).toBe(image.length + 32);
    expect(signed.subarray(0, image.length)).toEqual(image);
    expect(Either.isRight(verdict(signed))).toBe(true);
  });

  it("§1.14-9019 one changed byte, another key, or no trailer: refused with 9019", () => {
    const signed = signFirmware(key, image);
    const tampered = new Uint8Array(signed);
    tampered[0] = (tampered[0] ?? 0) ^ 1;
    for (const [what, file, k] of [
      ["tampered", tampered, key],
      ["other key", signed, new Uint8Array(32).fill(8)],
      ["too short", new Uint8Array(31), key],
    ] as const) {
      const v = verdict(file, k);
      expect(Either.isLeft(v), what).toBe(true);
      const e = Either.isLeft(v) ? v.left : undefined;
      expect(e, what).toBeInstanceOf(DeviceActionError);
      expect(e?.faultCode, what).toBe(9019);
    }
  });
});
