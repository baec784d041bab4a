/**
 * The key the run log names its device by: `OUI-ProductClass-SerialNumber`, or
 * `OUI-SerialNumber` when the ProductClass is empty, i.e. GenieACS's device id without its URL
 * escaping, as `@cpekit/acs-testkit`'s `deviceKeyOf` gives it. Here so that `cpekit run` does
 * not load the test kit (its conformance suite is most of it) to print one line.
 * @module
 */
import type { DeviceIdStruct } from "@cpekit/core";

/** The device key of a `DeviceIdStruct` (see the module comment). */
export const deviceKeyOf = (id: DeviceIdStruct): string =>
  id.productClass === ""
    ? `${id.oui}-${id.serialNumber}`
    : `${id.oui}-${id.productClass}-${id.serialNumber}`;
