/**
 * SIGINT and SIGTERM as Effects: the first one asks the device to stop (finish the open
 * session), a second one insists (abandon it). The listeners live as long as the scope, so a
 * command that ends removes them and Node's default handling comes back.
 * @module
 */
import { Deferred, Effect, type Scope } from "effect";

/** The stop requests of the user or the service manager. */
export interface StopSignals {
  /** Completes with the signal's name at the first SIGINT or SIGTERM. */
  readonly requested: Effect.Effect<string>;
  /** Completes at the second one. */
  readonly insisted: Effect.Effect<string>;
}

const signals = ["SIGINT", "SIGTERM"] as const;

/** Listens for SIGINT and SIGTERM for the life of the scope. */
export const listenForStopSignals: Effect.Effect<StopSignals, never, Scope.Scope> = Effect.gen(
  function* () {
    const requested = yield* Deferred.make<string>();
    const insisted = yield* Deferred.make<string>();
    const handler = (name: NodeJS.Signals) => {
      const first = Effect.runSync(Deferred.isDone(requested));
      Deferred.unsafeDone(first ? insisted : requested, Effect.succeed(name));
    };
    yield* Effect.acquireRelease(
      Effect.sync(() => {
        for (const s of signals) process.on(s, handler);
      }),
      () =>
        Effect.sync(() => {
          for (const s of signals) process.off(s, handler);
        }),
    );
    return { requested: Deferred.await(requested), insisted: Deferred.await(insisted) };
  },
);
