/**
 * The firmware images the conformance device installs: the image followed by its HMAC-SHA256
 * under the device's vendor key, as a device that only runs firmware signed by its maker
 * checks it. An image whose trailer does not verify is refused with 9019 (file authentication
 * failure) and never installed. The key is made per device; the suite signs images through the
 * device (`RunningDevice.signFirmware`), as a vendor's build system would.
 * @module
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { DeviceActionError } from "@cpekit/core";
import { Effect } from "effect";

const TAG_BYTES = 32;

const tag = (key: Uint8Array, payload: Uint8Array): Buffer =>
  createHmac("sha256", key).update(payload).digest();

/** `image` signed with `key`: the image, then its 32-byte HMAC-SHA256. */
export const signFirmware = (key: Uint8Array, image: Uint8Array): Uint8Array =>
  new Uint8Array(Buffer.concat([image, tag(key, image)]));

/** Succeeds when `file` ends with the HMAC of what precedes it; else fault 9019. */
export const verifyFirmware = (
  key: Uint8Array,
  file: Uint8Array,
): Effect.Effect<void, DeviceActionError> => {
  const refused = (detail: string) =>
    Effect.fail(new DeviceActionError({ reason: "Rejected", faultCode: 9019, detail }));
  if (file.length < TAG_BYTES) return refused("the image carries no signature");
  const payload = file.subarray(0, file.length - TAG_BYTES);
  const given = file.subarray(file.length - TAG_BYTES);
  return timingSafeEqual(tag(key, payload), given)
    ? Effect.void
    : refused("the image's signature does not verify");
};
