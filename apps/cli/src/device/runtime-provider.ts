/**
 * The values only the running device knows, served as a `ParameterProvider`:
 * `DeviceInfo.UpTime` since this start of the agent, and fixed values settled from the profile
 * (the DeviceInfo versions a generic profile leaves out, which follow the running cpekit).
 * (ConnectionRequestURL is not served here: the agent publishes the server's URL into the data
 * model itself, so that a change of address is seen as a value change, requirement C7.)
 * @module
 */
import { type DataModelSchema, type ParameterProvider, ProviderError } from "@cpekit/core";
import { Clock, Effect } from "effect";

/**
 * A provider of the run-time values under `schema.root`; `startedAt` is epoch ms. `fixed` are
 * values served as they are (read-only parameters, by full name). Paths in `servedElsewhere`
 * (a plugin reads the module's own UpTime and versions) are left to their provider.
 */
export const runtimeProvider = (
  schema: DataModelSchema,
  startedAt: number,
  servedElsewhere: readonly string[] = [],
  fixed: Readonly<Record<string, string>> = {},
): ParameterProvider => {
  const upTime = `${schema.root}.DeviceInfo.UpTime`;
  const paths = [upTime, ...Object.keys(fixed)].filter(
    (p) => schema.parameters.has(p) && !servedElsewhere.includes(p),
  );
  return {
    name: "runtime",
    paths,
    get: (names) =>
      Effect.map(Clock.currentTimeMillis, (now) => {
        const values = new Map<string, string>();
        const seconds = String(Math.max(0, Math.floor((now - startedAt) / 1000)));
        for (const name of names) values.set(name, fixed[name] ?? seconds);
        return values;
      }),
    // These are read-only in the schema, so the data model refuses a write before it gets here.
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
