/**
 * The RPCs scripts queue for devices (`call`), waiting to be sent in a session's acsRequests
 * stage, each with the deferred its caller awaits. A call for a named device waits for that
 * device; a call without a device goes to whichever device reaches acsRequests first.
 * @module
 */
import type { CwmpMessage } from "@cpekit/core";
import { Deferred, Effect } from "effect";
import { TestAcsError } from "./testkit-error.js";

/** One queued (or in-flight) call. */
export interface PendingCall {
  readonly deviceId: string | undefined;
  readonly request: CwmpMessage;
  /** Completed with the CPE's response message or its `Fault`. */
  readonly result: Deferred.Deferred<CwmpMessage, TestAcsError>;
}

/** The calls of one ACS not yet sent (one instance per ACS). */
export class RpcQueue {
  private readonly calls: PendingCall[] = [];
  private readonly listeners = new Set<(deviceId: string | undefined) => void>();

  /** Queues a call; listeners (sessions held open) are told. */
  enqueue(deviceId: string | undefined, request: CwmpMessage): Effect.Effect<PendingCall> {
    return Effect.gen(this, function* () {
      const call: PendingCall = {
        deviceId,
        request,
        result: yield* Deferred.make<CwmpMessage, TestAcsError>(),
      };
      this.calls.push(call);
      for (const l of this.listeners) l(deviceId);
      return call;
    });
  }

  /** Takes the oldest call for `deviceId`, or else the oldest call for any device. */
  takeFor(deviceId: string): PendingCall | undefined {
    const own = this.calls.findIndex((c) => c.deviceId === deviceId);
    const index = own >= 0 ? own : this.calls.findIndex((c) => c.deviceId === undefined);
    return index >= 0 ? this.calls.splice(index, 1)[0] : undefined;
  }

  /** Removes a call that was not sent (its caller gave up). */
  withdraw(call: PendingCall): void {
    const index = this.calls.indexOf(call);
    if (index >= 0) this.calls.splice(index, 1);
  }

  /** Subscribes to enqueues; returns the unsubscribe function. */
  onEnqueue(listener: (deviceId: string | undefined) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Waits until a call is queued for `deviceId` or for any device (a session held open). */
  awaitCallFor(deviceId: string): Effect.Effect<void> {
    return Effect.acquireUseRelease(
      Effect.gen(this, function* () {
        const wake = yield* Deferred.make<void>();
        const relevant = (d: string | undefined) => d === undefined || d === deviceId;
        const unsubscribe = this.onEnqueue((d) => {
          if (relevant(d)) Deferred.unsafeDone(wake, Effect.void);
        });
        // A call queued between the caller's last look and this subscription must not be missed.
        if (this.calls.some((c) => relevant(c.deviceId))) yield* Deferred.succeed(wake, undefined);
        return { wake, unsubscribe };
      }),
      ({ wake }) => Deferred.await(wake),
      ({ unsubscribe }) => Effect.sync(unsubscribe),
    );
  }

  /** Fails every queued call (the ACS is stopping). */
  failAll(): Effect.Effect<void> {
    const calls = this.calls.splice(0, this.calls.length);
    return Effect.forEach(
      calls,
      (c) =>
        Deferred.fail(
          c.result,
          new TestAcsError({ reason: "Stopped", detail: `${c.request._tag} was never sent` }),
        ),
      { discard: true },
    );
  }

  /** Number of calls waiting. */
  get size(): number {
    return this.calls.length;
  }
}
