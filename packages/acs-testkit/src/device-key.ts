/**
 * The key a script names a device by: `OUI-ProductClass-SerialNumber`, or `OUI-SerialNumber`
 * when the ProductClass is empty. This is GenieACS's device id without its URL escaping, so a
 * script reads the same ids it would see in GenieACS's UI.
 * @module
 */
import type { DeviceIdStruct } from "@cpekit/core";

/** The device key of a `DeviceIdStruct` (see the module comment). */
export const deviceKeyOf = (id: DeviceIdStruct): string =>
  id.productClass === ""
    ? `${id.oui}-${id.serialNumber}`
    : `${id.oui}-${id.productClass}-${id.serialNumber}`;
