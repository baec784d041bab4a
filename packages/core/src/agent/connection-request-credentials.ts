/**
 * The credentials a Connection Request must prove (requirement C2), read from the data model
 * at every request: `ManagementServer.ConnectionRequestUsername` / `ConnectionRequestPassword`,
 * which the ACS may change with SetParameterValues.
 *
 * The server usually starts before the agent (the agent needs its URL), so a
 * {@link ConnectionRequestCredentialsSource} is handed to the server first and bound to the
 * agent's data model once the agent exists (`makeAgent` binds the one given in its options).
 * @module
 */
import { Effect, Option, Ref } from "effect";
import type { ConnectionRequestCredentials } from "../ports/connection-requests.js";
import { type DeviceValuesModel, readDeviceValues, setValueOf } from "./device-values.js";

/** What credentials are read from. */
export type CredentialsModel = DeviceValuesModel;

/**
 * The current Connection Request credentials under `prefix` (`Device.ManagementServer.`). Each
 * parameter the model holds a non-empty value for wins; an empty or missing one takes the
 * configured value of `fallback` (the device's factory credentials).
 */
export const connectionRequestCredentials = (
  model: CredentialsModel,
  prefix: string,
  fallback: ConnectionRequestCredentials,
): Effect.Effect<ConnectionRequestCredentials> =>
  Effect.map(
    // Read on every Connection Request: both in one data-model call.
    readDeviceValues(model, [
      `${prefix}ConnectionRequestUsername`,
      `${prefix}ConnectionRequestPassword`,
    ]),
    (get) => ({
      username: Option.getOrElse(
        setValueOf(get, `${prefix}ConnectionRequestUsername`),
        () => fallback.username,
      ),
      password: Option.getOrElse(
        setValueOf(get, `${prefix}ConnectionRequestPassword`),
        () => fallback.password,
      ),
    }),
  );

/** Credentials for a Connection Request server, bound to a data model later. */
export interface ConnectionRequestCredentialsSource {
  /**
   * The credentials now: read from the bound data model, or the fallback before any binding.
   * Pass it as the server's `credentials` option.
   */
  readonly credentials: Effect.Effect<ConnectionRequestCredentials>;
  /**
   * Reads from `model` from now on (replacing an earlier binding, e.g. the agent of the
   * previous boot: a reboot keeps the last model bound until the new one is).
   */
  readonly bind: (model: CredentialsModel, prefix: string) => Effect.Effect<void>;
}

/** A source answering `fallback` until {@link ConnectionRequestCredentialsSource.bind} is called. */
export const makeConnectionRequestCredentialsSource = (
  fallback: ConnectionRequestCredentials,
): Effect.Effect<ConnectionRequestCredentialsSource> =>
  Effect.map(
    Ref.make<Option.Option<{ readonly model: CredentialsModel; readonly prefix: string }>>(
      Option.none(),
    ),
    (bound) => ({
      credentials: Effect.flatMap(
        Ref.get(bound),
        Option.match({
          onNone: () => Effect.succeed(fallback),
          onSome: (b) => connectionRequestCredentials(b.model, b.prefix, fallback),
        }),
      ),
      bind: (model, prefix) => Ref.set(bound, Option.some({ model, prefix })),
    }),
  );
