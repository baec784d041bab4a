/**
 * The versions a generic device informs when its profile sets none. `DeviceInfo.SoftwareVersion`
 * and `HardwareVersion` are forced Inform parameters: left out of a profile they were informed
 * as empty strings, and an ACS (GenieACS) then lists the device with no version. cpekit's own
 * version stands in for both (the software that answers is cpekit; there is no hardware of its
 * own to name). The QuecPython plugin needs none of this: it serves the module's firmware and
 * machine as these two values.
 * @module
 */
import { cpekitVersion } from "../cpekit-version.js";

/** The value informed for a version the profile leaves out: `cpekit-<version>`. */
export const defaultVersionValue = (): string => `cpekit-${cpekitVersion()}`;

/**
 * The DeviceInfo versions under `root` that `given` (the profile's values) leaves out and the
 * device's schema has (`has`, by full name), each with {@link defaultVersionValue}.
 */
export const versionDefaults = (
  root: string,
  given: Readonly<Record<string, string>>,
  has: (name: string) => boolean,
): Record<string, string> => {
  const value = defaultVersionValue();
  return Object.fromEntries(
    ["SoftwareVersion", "HardwareVersion"]
      .map((leaf) => `${root}.DeviceInfo.${leaf}`)
      .filter((name) => given[name] === undefined && has(name))
      .map((name) => [name, value]),
  );
};
