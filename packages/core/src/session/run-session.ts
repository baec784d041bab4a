/**
 * Runs one session machine over the `AcsTransport` port: opens the session's connection in a
 * scope (closed when the session ends, taking its cookies and Digest state with it), encodes
 * and decodes envelopes with the SOAP codec, and dispatches ACS requests to the RPC registry.
 * @module
 */
import { Effect, Either } from "effect";
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
import { decodeEnvelope } from "../soap/decode-envelope.js";
import type { DecodeError } from "../soap/decode-error.js";
import { encodeEnvelope } from "../soap/encode-envelope.js";
import type { Envelope } from "../soap/messages.js";
import { fromEffect } from "./effect-actor.js";
import { sessionMachine } from "./session.machine.js";
import { initialContext, sessionOutput } from "./session-context.js";
import type {
  HandleRpcInput,
  PostOutput,
  SessionFailureReason,
  SessionInput,
  SessionOutput,
} from "./session-io.js";

/** How envelopes become bodies and back (the SOAP codec, or a stand-in in tests). */
export interface SessionCodec {
  readonly encode: (envelope: Envelope) => string;
  readonly decode: (body: string) => Effect.Effect<Envelope, DecodeError>;
}

/** The SOAP codec of `soap/`; the decoder's tolerance warnings are logged at debug level. */
export const soapCodec: SessionCodec = {
  encode: (envelope) => encodeEnvelope(envelope),
  decode: (body) =>
    Either.match(decodeEnvelope(body), {
      onLeft: (error) => Effect.fail(error),
      onRight: ({ envelope, warnings }) =>
        warnings.length === 0
          ? Effect.succeed(envelope)
          : Effect.as(Effect.logDebug("CWMP decode warnings", ...warnings), envelope),
    }),
};

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
      const connection = opened.right;
      const runtime = yield* Effect.runtime<never>();
      const machine = sessionMachine.provide({
        actors: {
          post: fromEffect(
            ({ envelope }: { readonly envelope: Envelope | null }) =>
              postEnvelope(connection, options.codec ?? soapCodec, envelope),
            runtime,
          ),
          handleRpc: fromEffect(
            ({ request, header, version }: HandleRpcInput) =>
              options.registry.dispatch(request, {
                dataModel: options.dataModel,
                ...(options.deviceActions === undefined
                  ? {}
                  : { deviceActions: options.deviceActions }),
                session: { version, header },
              }),
            runtime,
          ),
        },
      });
      const actor = createActor(machine, {
        input: options.input,
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
