/**
 * Runs one session machine over the `AcsTransport` port: opens the session's connection in a
 * scope (closed when the session ends, taking its cookies and Digest state with it), encodes
 * and decodes envelopes with the SOAP codec, and dispatches ACS requests to the RPC registry.
 * @module
 */
import { Data, Effect } from "effect";
import { type ActorOptions, type AnyActorRef, createActor } from "xstate";
import {
  type AcsConnection,
  type AcsEndpoint,
  AcsTransport,
  type TransportError,
} from "../ports/acs-transport.js";
import type { DeviceActionsService } from "../ports/device-actions.js";
import type { RpcDataModel } from "../rpc/rpc-data-model.js";
import type { RpcRegistry } from "../rpc/rpc-registry.js";
import type { DecodeError } from "../soap/decode-error.js";
import type { Envelope } from "../soap/messages.js";
import { fromEffectWith } from "./effect-actor.js";
import { sessionMachine } from "./session.machine.js";
import { type SessionCodec, soapCodec } from "./session-codec.js";
import { initialContext, sessionOutput } from "./session-context.js";
import type { SessionDeps } from "./session-deps.js";
import type {
  HandleRpcInput,
  PostInput,
  PostOutput,
  SessionFailureReason,
  SessionInput,
  SessionOutput,
} from "./session-io.js";

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

/** POSTs one envelope (or the empty POST) and decodes the answer; an empty body is `null` (H3). */
export const postEnvelope = (
  connection: AcsConnection,
  codec: SessionCodec,
  envelope: Envelope | null,
): Effect.Effect<PostOutput, TransportError | DecodeError> =>
  Effect.flatMap(
    connection.post(envelope === null ? null : codec.encode(envelope)),
    (response): Effect.Effect<PostOutput, DecodeError> =>
      response.body.trim() === ""
        ? Effect.succeed({ envelope: null })
        : Effect.map(codec.decode(response.body), (decoded) => ({ envelope: decoded })),
  );

/** An actor invoked without `deps`: a wiring bug, reported as an `Internal` session failure. */
export class MissingSessionDeps extends Data.TaggedError("MissingSessionDeps")<{
  readonly reason: string;
}> {}

const depsOf = (input: { readonly deps?: SessionDeps | undefined }): SessionDeps => {
  if (input.deps === undefined) {
    // The actor's promise rejects with it; the machine records an Internal failure.
    throw new MissingSessionDeps({ reason: "the session input has no deps" });
  }
  return input.deps;
};

/**
 * The session machine with its `post` and `handleRpc` actors provided once for every session:
 * they read the session's {@link SessionDeps} from their input (`SessionInput.deps`, passed on
 * by every invoke). Start it with `createActor(sessionMachineWithDeps, { input })`.
 */
export const sessionMachineWithDeps = sessionMachine.provide({
  actors: {
    post: fromEffectWith(
      (input: PostInput) => {
        const deps = depsOf(input);
        return postEnvelope(deps.connection, deps.codec, input.envelope);
      },
      (input) => depsOf(input).runtime,
    ),
    handleRpc: fromEffectWith(
      (input: HandleRpcInput) => {
        const deps = depsOf(input);
        return deps.registry.dispatch(input.request, {
          dataModel: deps.dataModel,
          ...(deps.deviceActions === undefined ? {} : { deviceActions: deps.deviceActions }),
          session: { version: input.version, header: input.header },
        });
      },
      (input) => depsOf(input).runtime,
    ),
  },
});

/** The output of a session that failed before its first message. */
const failedBeforeInform = (
  input: SessionInput,
  reason: SessionFailureReason,
  detail: string,
): SessionOutput => sessionOutput({ ...initialContext(input), failure: { reason, detail } });

/** Runs an actor until it stops; interrupting the effect stops the actor. */
const untilDone = <A>(actor: AnyActorRef, outputOf: (error?: unknown) => A): Effect.Effect<A> =>
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
  });

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
      const actor = createActor(sessionMachineWithDeps, {
        input: { ...options.input, deps },
        ...(options.clock === undefined ? {} : { clock: options.clock }),
      });
      return yield* untilDone(actor, (error) => {
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
