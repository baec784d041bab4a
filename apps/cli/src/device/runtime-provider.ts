/**
 * The values only the running device knows, served as a `ParameterProvider`:
 * `DeviceInfo.UpTime` since this start of the agent. (ConnectionRequestURL is not served here:
 * the agent publishes the server's URL into the data model itself, so that a change of address
 * is seen as a value change, requirement C7.)
 * @module
 */
import { type DataModelSchema, type ParameterProvider, ProviderError } from "@cpekit/core";
import { Clock, Effect } from "effect";

/**
 * A provider of the run-time values under `schema.root`; `startedAt` is epoch ms. Paths in
 * `servedElsewhere` (a plugin reads the module's own UpTime) are left to their provider.
 */
export const runtimeProvider = (
  schema: DataModelSchema,
  startedAt: number,
  servedElsewhere: readonly string[] = [],
): ParameterProvider => {
  const upTime = `${schema.root}.DeviceInfo.UpTime`;
  const paths = [upTime].filter((p) => schema.parameters.has(p) && !servedElsewhere.includes(p));
  return {
    name: "runtime",
    paths,
    get: (names) =>
      Effect.map(Clock.currentTimeMillis, (now) => {
        const values = new Map<string, string>();
        const seconds = String(Math.max(0, Math.floor((now - startedAt) / 1000)));
        for (const name of names) values.set(name, seconds);
        return values;
      }),
    // UpTime is read-only in the schema, so the data model refuses a write before it gets here.
    set: (changes) =>
      Effect.fail(
        new ProviderError({
          reason: "Rejected",
          provider: "runtime",
          detail: `read-only: ${changes.map((c) => c.path).join(", ")}`,
          faultCode: 9008,
        }),
      ),
  };
};
