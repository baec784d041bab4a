/**
 * Runs one session machine over the `AcsTransport` port: opens the session's connection in a
 * scope (closed when the session ends, taking its cookies and Digest state with it), encodes
 * and decodes envelopes with the SOAP codec, and dispatches ACS requests to the RPC registry.
 * @module
 */
import { Effect } from "effect";
import { type ActorOptions, type AnyActorRef, createActor } from "xstate";
import { type AcsEndpoint, AcsTransport } from "../ports/acs-transport.js";
import type { DeviceActionsService } from "../ports/device-actions.js";
import type { RpcDataModel } from "../rpc/rpc-data-model.js";
import type { RpcRegistry } from "../rpc/rpc-registry.js";
import { type EffectExchange, makeEffectExchange } from "./effect-exchange.js";
import { sessionMachine } from "./session.machine.js";
import { type SessionCodec, soapCodec } from "./session-codec.js";
import { initialContext, sessionOutput } from "./session-context.js";
import type { SessionDeps } from "./session-deps.js";
import type { SessionFailureReason, SessionInput, SessionOutput } from "./session-io.js";

export { type SessionCodec, soapCodec } from "./session-codec.js";

/** What one session needs besides the transport. */
export interface RunSessionOptions {
  readonly endpoint: AcsEndpoint;
  readonly input: SessionInput;
  readonly registry: RpcRegistry;
  readonly dataModel: RpcDataModel;
  readonly deviceActions?: DeviceActionsService;
  /** Default {@link soapCodec}. */
  readonly codec?: SessionCodec;
  /** The clock of the machine's SessionTimeout (XState `SimulatedClock` for virtual time). */
  readonly clock?: ActorOptions<typeof sessionMachine>["clock"];
}

export { postEnvelope } from "./post-envelope.js";

/** The output of a session that failed before its first message. */
const failedBeforeInform = (
  input: SessionInput,
  reason: SessionFailureReason,
  detail: string,
): SessionOutput => sessionOutput({ ...initialContext(input), failure: { reason, detail } });

/**
 * Runs an actor until it stops; interrupting the effect stops the actor. Either way the
 * exchange still running (a POST the session stopped waiting for) is interrupted after.
 */
const untilDone = <A>(
  actor: AnyActorRef,
  exchange: EffectExchange,
  outputOf: (error?: unknown) => A,
): Effect.Effect<A> =>
  Effect.ensuring(
    Effect.async<A>((resume) => {
      const subscription = actor.subscribe({
        complete: () => resume(Effect.succeed(outputOf())),
        error: (error) => resume(Effect.succeed(outputOf(error))),
      });
      actor.start();
      return Effect.sync(() => {
        subscription.unsubscribe();
        actor.stop();
      });
    }),
    exchange.interrupt,
  );

/**
 * Runs one CWMP session and reports its {@link SessionOutput}. Never fails: a connection that
 * cannot be opened is a failed session with the transport's reason.
 */
export const runSession = (
  options: RunSessionOptions,
): Effect.Effect<SessionOutput, never, AcsTransport> =>
  Effect.scoped(
    Effect.gen(function* () {
      const transport = yield* AcsTransport;
      const opened = yield* Effect.either(transport.open(options.endpoint));
      if (opened._tag === "Left") {
        return failedBeforeInform(options.input, opened.left.reason, opened.left.message);
      }
      const runtime = yield* Effect.runtime<never>();
      const deps: SessionDeps = {
        connection: opened.right,
        codec: options.codec ?? soapCodec,
        registry: options.registry,
        dataModel: options.dataModel,
        ...(options.deviceActions === undefined ? {} : { deviceActions: options.deviceActions }),
        runtime,
      };
      const exchange = makeEffectExchange(deps);
      const actor = createActor(sessionMachine, {
        input: { ...options.input, deps, exchange },
        ...(options.clock === undefined ? {} : { clock: options.clock }),
      });
      return yield* untilDone(actor, exchange, (error) => {
        const snapshot = actor.getSnapshot();
        // A machine that errors (a bug) still reports what was delivered before.
        return snapshot.output !== undefined && error === undefined
          ? snapshot.output
          : sessionOutput({
              ...snapshot.context,
              failure: { reason: "Internal", detail: String(error ?? "no output") },
            });
      });
    }),
  );
