/**
 * Running a long-lived CLI command's body (a device, a fleet) in its own scope, and closing
 * that scope within a bound once the body ends: a server or a module link that does not close
 * must not keep the process from stopping.
 * @module
 */
import { Duration, Effect, Exit, Option, Scope } from "effect";

/** How long closing the command's resources may take after its body ended. */
export const CLOSE_BOUND = Duration.seconds(10);

/**
 * Runs `body` in a new scope, then closes the scope within {@link CLOSE_BOUND}; calls
 * `onStuck` with a message when it does not close in time. The result is the body's, whether
 * or not the close finished.
 */
export const runWithBoundedClose = <A, E>(
  body: Effect.Effect<A, E, Scope.Scope>,
  onStuck: (message: string) => void,
): Effect.Effect<A, E> =>
  Effect.gen(function* () {
    const scope = yield* Scope.make();
    const result = yield* Effect.exit(Scope.extend(body, scope));
    const closed = yield* Scope.close(scope, Exit.void).pipe(
      Effect.timeout(CLOSE_BOUND),
      Effect.option,
    );
    if (Option.isNone(closed))
      onStuck(`some resources did not close within ${Duration.format(CLOSE_BOUND)}`);
    return yield* result;
  });
