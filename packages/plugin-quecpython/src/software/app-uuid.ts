/**
 * The UUID of an app installed without one: RFC 4122 version 5 (name-based, SHA-1), as TR-069
 * Annex H asks of a device that generates a DU's UUID, over the DU's vendor and name, so the
 * same app from the same vendor gets the same UUID on every module.
 * @module
 */
import { createHash } from "node:crypto";

/** The namespace of the UUIDs (RFC 4122 Appendix C, the URL namespace). */
export const APP_UUID_NAMESPACE = "6ba7b811-9dad-11d1-80b4-00c04fd430c8";

const bytesOf = (uuid: string): Buffer => Buffer.from(uuid.replace(/-/g, ""), "hex");

/** A version-5 UUID of `name` in `namespace` (lower-case text form). */
export const uuidV5 = (namespace: string, name: string): string => {
  const hash = createHash("sha1")
    .update(bytesOf(namespace))
    .update(Buffer.from(name, "utf8"))
    .digest();
  const b = hash.subarray(0, 16);
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x50;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = b.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

/** The UUID of an app from `vendor` named `name`. */
export const appUuid = (vendor: string, name: string): string =>
  uuidV5(APP_UUID_NAMESPACE, `${vendor}/${name}`);
