/**
 * The documents of the fleet store's crash test: what device `d` saves as its `seq`-th save, and
 * the check that a loaded document is exactly one of them. Every save changes several sections
 * (and adds or drops `transfers`), so a torn save would show sections of different saves.
 * @module
 */
import type { StoreDocument } from "@cpekit/core";

/** The config the storm child takes as its one argument (JSON). */
export interface StormConfig {
  readonly path: string;
  readonly devices: number;
  /** The child stops saving after this many saves in all (a bound, in case nobody kills it). */
  readonly maxSaves: number;
}

/** What the child sends over IPC: `seq` of device `device` is durable. */
export interface StormAck {
  readonly device: number;
  readonly seq: number;
}

/** The key of device `d`. */
export const stormDeviceKey = (d: number): string => `STORM-${d}`;

/** Device `d`'s document after its save number `seq`. */
export const stormDocument = (d: number, seq: number): StoreDocument => ({
  events: { device: d, seq, queue: Array.from({ length: seq % 5 }, (_, i) => `${seq}-${i}`) },
  datamodel: { seq, filler: "x".repeat(200 + (seq % 7) * 700) },
  ...(seq % 3 === 0 ? { transfers: [{ seq, commandKey: `dl-${d}-${seq}` }] } : {}),
});

/** The save number of `document` when it is exactly one of device `d`'s documents. */
export const stormSeqOf = (d: number, document: StoreDocument): number | undefined => {
  const seq = (document.events as { seq?: unknown } | undefined)?.seq;
  if (typeof seq !== "number") return undefined;
  return JSON.stringify(document) === JSON.stringify(stormDocument(d, seq)) ? seq : undefined;
};
