/**
 * What one save of the LMDB fleet store writes: given the device's stored entries, the puts and
 * removes that turn them into the new document, leaving out every entry whose bytes would not
 * change (in a session, usually all sections but the event queue).
 * @module
 */

/** The writes of one save. */
export interface SavePlan {
  readonly puts: readonly (readonly [key: Buffer, value: Buffer])[];
  readonly removes: readonly Buffer[];
}

/**
 * Plans a save of `entries` (section keys and their new bytes) and `manifest` (key and new
 * bytes). `stored` reads an entry's current bytes; `storedSections` lists the device's section
 * keys now stored.
 */
export const planSave = (
  entries: readonly (readonly [key: Buffer, value: Buffer])[],
  manifest: readonly [key: Buffer, value: Buffer],
  stored: (key: Buffer) => Uint8Array | undefined,
  storedSections: readonly Buffer[],
): SavePlan => {
  const puts: (readonly [Buffer, Buffer])[] = [];
  const keep = new Set<string>();
  for (const entry of [...entries, manifest]) {
    keep.add(entry[0].toString("latin1"));
    const current = stored(entry[0]);
    if (current === undefined || !entry[1].equals(current)) puts.push(entry);
  }
  const removes = storedSections.filter((key) => !keep.has(key.toString("latin1")));
  return { puts, removes };
};
