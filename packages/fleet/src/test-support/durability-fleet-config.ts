/**
 * What the fleet durability test and its fleet child process share: the child's settings and
 * the devices' identity.
 * @module
 */
import { Either } from "effect";
import { compileSerialTemplate } from "../serial-template.js";

/** What the parent passes the child (one JSON argument). */
export interface FleetChildConfig {
  /** The LMDB environment holding every device's state (kept across runs). */
  readonly lmdbPath: string;
  readonly acsUrl: string;
  readonly count: number;
  /** Which life of the process this is (sent in the User-Agent). */
  readonly run: number;
  readonly periodicSeconds: number;
  /** How long applying a downloaded file takes (widens the "applying" crash window). */
  readonly applyDelayMs: number;
}

export const DURABILITY_OUI = "D0D0D0";
export const DURABILITY_PRODUCT_CLASS = "FleetDurability";
/** The serial of device `index`. */
export const durabilitySerial = Either.getOrThrow(compileSerialTemplate("DUR{index:03}", 999));
/** The ACS's key of device `index`. */
export const durabilityDeviceKey = (index: number) =>
  `${DURABILITY_OUI}-${DURABILITY_PRODUCT_CLASS}-${durabilitySerial(index)}`;
