/**
 * Test support: a data model reduced to `getDeviceValues` over a plain record, for the
 * readers of device-side settings (STUN, XMPP).
 * @module
 */
import type { DataModel, ParameterValueStruct } from "@cpekit/core";
import { Effect } from "effect";

/** A data model holding `values` only (a missing name fails, as an unknown parameter does). */
export const deviceValuesModel = (
  values: Record<string, string>,
): Pick<DataModel, "getDeviceValues"> => ({
  getDeviceValues: (names) =>
    names.every((n) => n in values)
      ? Effect.succeed(
          names.map(
            (n) =>
              ({ name: n, value: values[n] as string, type: "string" }) as ParameterValueStruct,
          ),
        )
      : (Effect.fail({ faultCode: 9005 }) as never),
});
