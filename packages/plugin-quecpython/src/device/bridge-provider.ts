/**
 * The TR-181 `ParameterProvider` over the bridge: every read the data model asks for is ONE
 * bridge `get` of the union of the keys the parameters need, converted to TR-181 lexical form;
 * writes of the access point are ONE bridge `set` (one `dataCall.setPDPContext` on the module).
 * Events the bridge pushes (data call up/down, network change, a module restart) make the
 * provider re-read the event-driven parameters and push them on `changes`, which the agent
 * turns into value-change notifications.
 * @module
 */
import {
  type ParameterChange,
  type ParameterProvider,
  ProviderError,
  type ProviderErrorReason,
} from "@cpekit/core";
import { Effect, Stream } from "effect";
import type { BridgeLink } from "../link/bridge-link.js";
import { isBridgeLinkError } from "../link/bridge-link-error.js";
import type { BridgeScalar } from "../link/messages.js";
import { whenLinkReady } from "./link-ready.js";
import {
  type BridgeValues,
  eventDrivenPaths,
  type MappingConfig,
  quecPythonMapping,
  quecPythonMappingByPath,
} from "./tr181-mapping.js";

/** Options of {@link makeBridgeProvider}. */
export interface BridgeProviderOptions extends MappingConfig {
  /** How long a read waits for a restarting module to come back, in ms (default 30 000). */
  readonly reconnectWaitMs?: number;
  /** Time-out of one bridge request, in ms (the link's default when omitted). */
  readonly requestTimeoutMs?: number;
}

const NAME = "quecpython";

const providerError = (
  reason: ProviderErrorReason,
  detail: string,
  extra: { readonly faultCode?: number; readonly cause?: unknown } = {},
) => new ProviderError({ reason, provider: NAME, detail, ...extra });

const linkFailure = (what: string) => (cause: unknown) =>
  providerError(
    isBridgeLinkError(cause) && cause.reason === "Remote" ? "Failed" : "Unavailable",
    `${what}: ${cause instanceof Error ? cause.message : String(cause)}`,
    { cause },
  );

/** Reads the bridge keys behind `paths` in one round trip and converts every value. */
const readPaths = (
  link: BridgeLink,
  options: BridgeProviderOptions,
  paths: readonly string[],
): Promise<Map<string, string>> => {
  const keys = new Set<string>();
  for (const p of paths) for (const k of quecPythonMappingByPath.get(p)?.keys ?? []) keys.add(k);
  const reqOptions =
    options.requestTimeoutMs === undefined ? {} : { timeoutMs: options.requestTimeoutMs };
  const fetched: Promise<BridgeValues> =
    keys.size === 0
      ? Promise.resolve({})
      : whenLinkReady(link, options.reconnectWaitMs ?? 30_000, () =>
          link.get([...keys], reqOptions),
        ).then((reply) => reply.v);
  return fetched.then((values) => {
    const out = new Map<string, string>();
    // Paths of instances the module does not have (an AccessPoint the ACS added) read empty.
    for (const p of paths)
      out.set(p, quecPythonMappingByPath.get(p)?.convert(values, options) ?? "");
    return out;
  });
};

/** The bridge values to write for `changes`, or the fault that refuses them. */
const writesOf = (
  changes: readonly ParameterChange[],
): Record<string, BridgeScalar> | ProviderError => {
  const writes: Record<string, BridgeScalar> = {};
  for (const c of changes) {
    const m = quecPythonMappingByPath.get(c.path);
    if (m === undefined)
      return providerError("Rejected", `${c.path} is not backed by the module`, {
        faultCode: 9007,
      });
    if (m.writeKey === undefined)
      return providerError("Rejected", `${c.path} is set by the module, not by the ACS`, {
        faultCode: 9008,
      });
    writes[m.writeKey] = c.value;
  }
  return writes;
};

/** The provider of the module's TR-181 parameters over `link`. */
export const makeBridgeProvider = (
  link: BridgeLink,
  options: BridgeProviderOptions,
): ParameterProvider => {
  const reqOptions =
    options.requestTimeoutMs === undefined ? {} : { timeoutMs: options.requestTimeoutMs };
  const changes: Stream.Stream<readonly ParameterChange[], ProviderError> =
    Stream.asyncPush<"event">((emit) =>
      Effect.acquireRelease(
        Effect.sync(() =>
          link.subscribe((n) => {
            // A restarted module may come back with another address or registration state.
            if (n.kind === "event" || n.kind === "boot") emit.single("event");
          }),
        ),
        (off) => Effect.sync(off),
      ),
    ).pipe(
      // Several events in a burst need one read only.
      Stream.groupedWithin(16, "20 millis"),
      Stream.mapEffect(() =>
        Effect.tryPromise({
          try: () => readPaths(link, options, eventDrivenPaths),
          catch: linkFailure("event read"),
        }).pipe(
          Effect.map((values) => [...values].map(([path, value]) => ({ path, value }))),
          // A read that fails (module restarting again) is skipped: the next event re-reads.
          Effect.orElseSucceed((): readonly ParameterChange[] => []),
        ),
      ),
      Stream.filter((list) => list.length > 0),
    );

  return {
    name: NAME,
    paths: quecPythonMapping.map((m) => m.schemaPath),
    get: (paths) =>
      Effect.tryPromise({
        try: () => readPaths(link, options, paths),
        catch: linkFailure("get"),
      }),
    set: (list) =>
      Effect.gen(function* () {
        const writes = writesOf(list);
        if (writes instanceof ProviderError) return yield* writes;
        const reply = yield* Effect.tryPromise({
          try: () =>
            whenLinkReady(link, options.reconnectWaitMs ?? 30_000, () =>
              link.set(writes, reqOptions),
            ),
          catch: linkFailure("set"),
        });
        const refused = Object.entries(reply.e);
        if (refused.length > 0)
          return yield* providerError(
            "Rejected",
            `the module refused ${refused.map(([k, e]) => `${k} (${e})`).join(", ")}`,
            { faultCode: 9007 },
          );
        return { status: 0 as const };
      }),
    changes,
  };
};
