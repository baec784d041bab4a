/**
 * The undici `Client` of the origin a transfer or session currently talks to. A `Client` is
 * bound to one origin, so a redirect to another origin needs a new one; the old connection is
 * closed at once rather than left open until the scope ends.
 * @module
 */
import { addScopeFinalizer } from "@cpekit/core";
import { Effect, type Scope } from "effect";
import { Client } from "undici";

/** Holds the current `Client`; the scope that acquired it destroys whichever is current last. */
export interface OriginClient {
  /** The client of the current origin. */
  readonly client: () => Client;
  /**
   * Moves to `next`: when its origin differs from `current`'s, the old client is destroyed and a
   * new one opened. Succeeds with whether the origin changed (the caller then drops any HTTP
   * authentication state, since another server issues its own challenge).
   */
  readonly moveTo: (current: URL, next: URL) => Effect.Effect<boolean>;
  /** {@link OriginClient.moveTo} as a promise, for callers outside a fiber. */
  readonly moveToNow: (current: URL, next: URL) => Promise<boolean>;
}

/**
 * What a request still running on a destroyed client fails with. Made once: undici would build
 * a fresh error, stack trace and all, for every session's close (issue 11's profile).
 */
const connectionClosed = new Error("the connection was closed by its owner");

const destroy = (client: Client) =>
  Effect.async<void>((resume) => {
    client.destroy(connectionClosed, () => resume(Effect.void));
  });

/** Opens a client for `url`'s origin in the current scope, each one built with `options`. */
export const acquireOriginClient = (
  url: URL,
  options: Client.Options,
): Effect.Effect<OriginClient, never, Scope.Scope> =>
  Effect.gen(function* () {
    // Not `acquireRelease`: its release would diff and patch the fiber's FiberRefs, once per
    // session (see `addScopeFinalizer`).
    const holder = yield* Effect.uninterruptible(
      Effect.suspend(() => {
        const h = { client: new Client(url.origin, options) };
        return Effect.as(addScopeFinalizer(Effect.suspend(() => destroy(h.client))), h);
      }),
    );
    const moveToNow = (current: URL, next: URL): Promise<boolean> => {
      if (next.origin === current.origin) return Promise.resolve(false);
      const old = holder.client;
      holder.client = new Client(next.origin, options);
      return new Promise((resolve) => old.destroy(connectionClosed, () => resolve(true)));
    };
    return {
      client: () => holder.client,
      moveTo: (current, next) => Effect.promise(() => moveToNow(current, next)),
      moveToNow,
    };
  });
