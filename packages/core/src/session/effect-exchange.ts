/**
 * The session's exchange over Effect services. A POST on a connection that offers a plain call
 * (`AcsConnection.postNow`, the ACS client on the live clock) is one: encoded, sent and decoded
 * without a fiber (issue 11). Otherwise each POST and each RPC runs as one fiber in the
 * session's runtime, forked and observed directly (no promise, no abort signal); a program that
 * does not suspend (an RPC handler on an in-memory data model) completes within the call and
 * reports at once. `interrupt` stops what is still running when the session ends.
 * @module
 */
import { Cause, Effect, Either, Exit, Fiber, Runtime } from "effect";
import type { AcsPostSettle } from "../ports/acs-transport.js";
import { postEnvelope } from "./post-envelope.js";
import { logDecodeWarnings } from "./session-codec.js";
import type { SessionDeps } from "./session-deps.js";
import type { ExchangeSettle, SessionExchange } from "./session-exchange.js";
import type { PostInput, PostOutput } from "./session-io.js";

/** A {@link SessionExchange} for one session, and how to stop its running exchange. */
export interface EffectExchange extends SessionExchange {
  /** Interrupts the exchange still running (the session ended while it waited); waits for it. */
  readonly interrupt: Effect.Effect<void>;
}

/** Runs the session's exchanges with `deps` (its connection, codec, registry and runtime). */
export const makeEffectExchange = (deps: SessionDeps): EffectExchange => {
  const fork = Runtime.runFork(deps.runtime);
  // One exchange at a time: the machine starts the next only after the last one's result.
  let running: Fiber.RuntimeFiber<unknown, unknown> | undefined;
  // The plain POST under way; a result reported after `interrupt` is dropped.
  let pending: AcsPostSettle | undefined;
  const run = <A, E>(program: Effect.Effect<A, E>, settle: ExchangeSettle<A>): void => {
    const fiber = fork(program);
    running = fiber;
    fiber.addObserver((exit) => {
      if (running === fiber) running = undefined;
      if (Exit.isSuccess(exit)) settle.done(exit.value);
      else settle.fail(Cause.squash(exit.cause));
    });
  };
  const postNow = deps.connection.postNow;
  const decodeNow = deps.codec.decodeNow;
  const post = (input: PostInput, settle: ExchangeSettle<PostOutput>): void => {
    if (postNow === undefined || decodeNow === undefined) {
      run(postEnvelope(deps.connection, deps.codec, input.envelope), settle);
      return;
    }
    let body: string | null;
    try {
      body = input.envelope === null ? null : deps.codec.encode(input.envelope);
    } catch (error) {
      settle.fail(error);
      return;
    }
    const reply: AcsPostSettle = {
      done: (response) => {
        if (pending !== reply) return;
        pending = undefined;
        if (response.body.trim() === "") {
          settle.done({ envelope: null });
          return;
        }
        let decoded: ReturnType<typeof decodeNow>;
        try {
          decoded = decodeNow(response.body);
        } catch (error) {
          settle.fail(error);
          return;
        }
        if (Either.isLeft(decoded)) settle.fail(decoded.left);
        else if (decoded.right.warnings.length === 0)
          settle.done({ envelope: decoded.right.envelope });
        // Warnings to log: through Effect's logger, the rare case worth a fiber.
        else
          run(
            Effect.map(logDecodeWarnings(decoded.right), (envelope) => ({ envelope })),
            settle,
          );
      },
      fail: (error) => {
        if (pending !== reply) return;
        pending = undefined;
        settle.fail(error);
      },
    };
    pending = reply;
    try {
      postNow(body, reply);
    } catch (error) {
      reply.fail(error);
    }
  };
  return {
    post,
    handleRpc: (input, settle) =>
      run(
        deps.registry.dispatch(input.request, {
          dataModel: deps.dataModel,
          ...(deps.deviceActions === undefined ? {} : { deviceActions: deps.deviceActions }),
          session: { version: input.version, header: input.header },
        }),
        settle,
      ),
    // A plain POST is dropped here and ended by the connection's scope, closed right after.
    interrupt: Effect.suspend(() => {
      pending = undefined;
      return running === undefined ? Effect.void : Fiber.interrupt(running);
    }),
  };
};
