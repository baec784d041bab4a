/**
 * The identity shared by every agent child device but its serial number (the ACS keys a device
 * by `OUI-ProductClass-SerialNumber`). Apart from `agent-child.ts`, which runs on import.
 * @module
 */

/** The OUI of the child devices. */
export const CHILD_OUI = "00D0CA";
/** The ProductClass of the child devices. */
export const CHILD_PRODUCT_CLASS = "Durability";
