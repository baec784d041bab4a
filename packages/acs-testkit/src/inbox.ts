/**
 * An append-only log that scripts consume in order, optionally filtered: what `nextInform`,
 * `nextSession` and `nextUpload` wait on. Each item is handed to one taker only, so two
 * `nextInform()` calls see two different Informs.
 * @module
 */
import { Deferred, Effect, Exit } from "effect";

interface Waiter<T> {
  readonly accepts: (item: T) => boolean;
  readonly deferred: Deferred.Deferred<T>;
}

/** Items not yet taken plus the takers waiting for one (one instance per ACS, never shared). */
export class Inbox<T> {
  private readonly items: T[] = [];
  private readonly waiters: Waiter<T>[] = [];

  /** Adds an item: the oldest waiting taker that accepts it gets it, else it is kept. */
  push(item: T): void {
    const index = this.waiters.findIndex((w) => w.accepts(item));
    const waiter = index >= 0 ? this.waiters.splice(index, 1)[0] : undefined;
    if (waiter) Deferred.unsafeDone(waiter.deferred, Effect.succeed(item));
    else this.items.push(item);
  }

  /** Takes the oldest kept item that `accepts`, or waits for the next one pushed. */
  take(accepts: (item: T) => boolean = () => true): Effect.Effect<T> {
    return Effect.suspend(() => {
      const index = this.items.findIndex(accepts);
      if (index >= 0) return Effect.succeed(this.items.splice(index, 1)[0] as T);
      return Effect.acquireUseRelease(
        Deferred.make<T>().pipe(
          Effect.tap((deferred) => Effect.sync(() => this.waiters.push({ accepts, deferred }))),
        ),
        (deferred) => Deferred.await(deferred),
        // An interrupted taker (timeout, stop) must not swallow an item: it leaves the queue,
        // and an item handed to it in the same instant goes back to the front.
        (deferred, exit) =>
          Effect.gen(this, function* () {
            const i = this.waiters.findIndex((w) => w.deferred === deferred);
            if (i >= 0) this.waiters.splice(i, 1);
            else if (Exit.isInterrupted(exit)) {
              const handed = yield* Deferred.poll(deferred);
              if (handed !== undefined && handed._tag === "Some") {
                const item = yield* handed.value;
                this.items.unshift(item);
              }
            }
          }),
      );
    });
  }

  /** Every item pushed and not yet taken, oldest first. */
  pending(): readonly T[] {
    return [...this.items];
  }
}
