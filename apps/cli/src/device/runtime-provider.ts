/**
 * The values only the running device knows, served as a `ParameterProvider`: the
 * `ConnectionRequestURL` the connection-request server actually listens on (requirement C1:
 * never a stored or guessed one) and `DeviceInfo.UpTime` since this start of the agent.
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
  connectionRequestUrl: string,
  startedAt: number,
  servedElsewhere: readonly string[] = [],
): ParameterProvider => {
  const crUrl = `${schema.root}.ManagementServer.ConnectionRequestURL`;
  const upTime = `${schema.root}.DeviceInfo.UpTime`;
  const paths = [crUrl, upTime].filter(
    (p) => schema.parameters.has(p) && !servedElsewhere.includes(p),
  );
  return {
    name: "runtime",
    paths,
    get: (names) =>
      Effect.map(Clock.currentTimeMillis, (now) => {
        const values = new Map<string, string>();
        for (const name of names)
          values.set(
            name,
            name === crUrl
              ? connectionRequestUrl
              : String(Math.max(0, Math.floor((now - startedAt) / 1000))),
          );
        return values;
      }),
    // Both are read-only in the schema, so the data model refuses a write before it gets here.
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
