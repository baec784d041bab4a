/**
 * The key layout of the LMDB fleet store. Every key starts with the device's prefix, the UTF-8
 * of `JSON.stringify(deviceKey)`: a JSON string literal is self-delimiting, so no device's prefix
 * is a prefix of another's, and it never contains the bytes 0x00-0x1f (JSON escapes them), so
 * the byte after it can say what the key is:
 *
 * - `prefix 0x00 JSON(section)`: one section's JSON text;
 * - `prefix 0x01`: the manifest, the JSON array of the document's section names in order.
 *
 * JSON rather than raw UTF-8 for names, because UTF-8 would map distinct strings with lone
 * surrogates to the same bytes.
 * @module
 */

const SECTION = 0x00;
const MANIFEST = 0x01;

/** The bytes that start every key of `deviceKey`. */
export const devicePrefix = (deviceKey: string): Buffer =>
  Buffer.from(JSON.stringify(deviceKey), "utf8");

/** The key of one section of the device whose prefix is `prefix`. */
export const sectionKey = (prefix: Buffer, section: string): Buffer =>
  Buffer.concat([prefix, Buffer.of(SECTION), Buffer.from(JSON.stringify(section), "utf8")]);

/** The key of the device's manifest. */
export const manifestKey = (prefix: Buffer): Buffer => Buffer.concat([prefix, Buffer.of(MANIFEST)]);

/** The range `[start, end)` holding exactly the section keys of the device. */
export const sectionRange = (prefix: Buffer): { start: Buffer; end: Buffer } => ({
  start: Buffer.concat([prefix, Buffer.of(SECTION)]),
  end: Buffer.concat([prefix, Buffer.of(SECTION + 1)]),
});

/** The range `[start, end)` holding every key of the device (sections and manifest). */
export const deviceRange = (prefix: Buffer): { start: Buffer; end: Buffer } => ({
  start: Buffer.concat([prefix, Buffer.of(SECTION)]),
  end: Buffer.concat([prefix, Buffer.of(MANIFEST + 1)]),
});

/** The section name of a key in the device's section range; `undefined` if it does not decode. */
export const sectionOf = (prefix: Buffer, key: Uint8Array): string | undefined => {
  try {
    const name: unknown = JSON.parse(
      Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString("utf8", prefix.length + 1),
    );
    return typeof name === "string" ? name : undefined;
  } catch {
    return undefined;
  }
};
