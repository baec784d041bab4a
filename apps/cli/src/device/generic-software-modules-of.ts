/**
 * Where a generic device keeps its DU packages: the directory `<store>.packages/` beside its
 * store file (so every device of a fleet or a conformance run has its own), opened for
 * `cpekit run`.
 * @module
 */
import { Effect } from "effect";
import { DeviceError } from "./device-error.js";
import type { DeviceSpec } from "./device-spec.js";
import {
  type GenericSoftwareModules,
  makeGenericSoftwareModules,
} from "./generic-software-modules.js";

/** The package directory of a store file. */
export const packageDirectoryOf = (storePath: string): string =>
  `${storePath.replace(/\.json$/i, "")}.packages`;

/** Opens the generic device's software modules of `spec`. */
export const genericSoftwareModulesOf = (
  spec: Pick<DeviceSpec, "storePath">,
): Effect.Effect<GenericSoftwareModules, DeviceError> =>
  Effect.mapError(
    makeGenericSoftwareModules({ directory: packageDirectoryOf(spec.storePath) }),
    (e) => new DeviceError({ reason: "PluginFailed", detail: e.message, cause: e }),
  );
