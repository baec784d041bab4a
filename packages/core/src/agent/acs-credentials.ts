/**
 * The credentials the agent presents to the ACS: `ManagementServer.Username` / `Password` set
 * in the data model (by the ACS, or a provisioning file) take precedence over the configured
 * ones from the next session on, as the original Quectel client did.
 * @module
 */
import { Effect, Option } from "effect";
import type { AcsEndpoint } from "../ports/acs-transport.js";
import { type DeviceValuesModel, readDeviceValues, setValueOf } from "./device-values.js";

/**
 * `endpoint` with the username and password under `prefix` where the model holds non-empty
 * values; an empty or missing one keeps `configured`'s (which may have none).
 */
export const withManagementServerCredentials = (
  model: DeviceValuesModel,
  prefix: string,
  endpoint: AcsEndpoint,
  configured: Pick<AcsEndpoint, "username" | "password">,
): Effect.Effect<AcsEndpoint> =>
  Effect.map(
    // Read before every session: both in one data-model call.
    readDeviceValues(model, [`${prefix}Username`, `${prefix}Password`]),
    (get) => {
      const username = Option.orElse(setValueOf(get, `${prefix}Username`), () =>
        Option.fromNullable(configured.username),
      );
      const password = Option.orElse(setValueOf(get, `${prefix}Password`), () =>
        Option.fromNullable(configured.password),
      );
      const { username: _u, password: _p, ...rest } = endpoint;
      return {
        ...rest,
        ...(Option.isSome(username) ? { username: username.value } : {}),
        ...(Option.isSome(password) ? { password: password.value } : {}),
      };
    },
  );
