/**
 * Name resolution for the host diagnostics: a host that does not resolve is the test's
 * `Error_CannotResolveHostName`, whatever the test.
 * @module
 */
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { DiagnosticsError, type DiagnosticsProtocolVersion } from "@cpekit/core";
import { Effect } from "effect";

/** A resolved host: its address and IP family. */
export interface ResolvedHost {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Resolves `host` (a name or an address) for `version` (`Any`: the resolver's first answer). */
export const resolveHost = (
  host: string,
  version: DiagnosticsProtocolVersion,
): Effect.Effect<ResolvedHost, DiagnosticsError> => {
  const literal = isIP(host);
  if (literal === 4 || literal === 6) {
    if ((version === "IPv4" && literal === 6) || (version === "IPv6" && literal === 4))
      return Effect.fail(
        new DiagnosticsError({
          state: "Error_CannotResolveHostName",
          detail: `${host} is not an ${version} address`,
        }),
      );
    return Effect.succeed({ address: host, family: literal });
  }
  return Effect.tryPromise({
    try: () => lookup(host, { family: version === "IPv4" ? 4 : version === "IPv6" ? 6 : 0 }),
    catch: (cause) =>
      new DiagnosticsError({
        state: "Error_CannotResolveHostName",
        detail: `cannot resolve ${host}: ${cause instanceof Error ? cause.message : String(cause)}`,
        cause,
      }),
  }).pipe(Effect.map((r) => ({ address: r.address, family: r.family === 6 ? 6 : 4 }) as const));
};
