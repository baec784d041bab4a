/**
 * Software-module management in an agent, when the `SoftwareModules` port is provided: the
 * view of `<root>.SoftwareModules.` (made before the data model, which serves it), then, once
 * the agent exists, the ChangeDUState handler, the runner that carries requests out after each
 * session and the reports of the plugin's own changes. Without the port nothing is added, and
 * GetRPCMethods does not list ChangeDUState.
 * @module
 */
import { type Duration, Effect, Option, Queue, type Scope, Stream } from "effect";
import type { PersistentEventQueue } from "../agent/event-queue-store.js";
import type { SectionStore } from "../agent/section-store.js";
import type { CompiledSchema } from "../datamodel/compiled-schema.js";
import type { DataModel } from "../datamodel/data-model.js";
import type { DataModelSchema } from "../datamodel/schema.js";
import type { FileTransferService } from "../ports/file-transfer.js";
import type { ParameterProvider } from "../ports/parameter-provider.js";
import { SoftwareModules } from "../ports/software-modules.js";
import type { StoreError } from "../ports/store.js";
import type { RpcRegistry } from "../rpc/rpc-registry.js";
import { makeSoftwareModuleManager } from "./software-module-manager.js";
import { makeSoftwareModulesBook, type SoftwareModulesBook } from "./software-modules-book.js";
import { makeSoftwareModulesProvider } from "./software-modules-provider.js";
import type { SoftwareModulesStateError } from "./software-modules-state.js";

/** What the agent needs once its queue, data model and machine exist. */
export interface SoftwareModulesStartDeps {
  readonly queue: PersistentEventQueue;
  readonly dataModel: Pick<DataModel, "getParameterValues">;
  readonly registry: RpcRegistry;
  readonly fileTransfer: FileTransferService;
  readonly managementServerPrefix: string;
  readonly maxBytes: number;
  readonly timeout: Duration.DurationInput;
  /** Subscribes to the end of every session. */
  readonly onSessionEnded: (listener: () => void) => void;
  /** Asks for a session (reports are queued). */
  readonly requestSession: () => void;
}

/** The software-module side of an agent, before and after the agent exists. */
export interface AgentSoftwareModules {
  readonly book: SoftwareModulesBook;
  /** The view of the tables; absent when the schema has no `SoftwareModules` object. */
  readonly provider?: ParameterProvider;
  /** Registers ChangeDUState and starts the runner and the autonomous reports. */
  readonly start: (deps: SoftwareModulesStartDeps) => Effect.Effect<void, never, Scope.Scope>;
}

const schemaOf = (s: CompiledSchema | DataModelSchema): DataModelSchema =>
  "patterns" in s ? s.schema : s;

/** The software-module side of an agent, or undefined without the port. */
export const prepareAgentSoftwareModules = (
  sections: SectionStore,
  compiledOrSchema: CompiledSchema | DataModelSchema,
): Effect.Effect<AgentSoftwareModules | undefined, StoreError | SoftwareModulesStateError> =>
  Effect.gen(function* () {
    const modules = Option.getOrUndefined(yield* Effect.serviceOption(SoftwareModules));
    if (modules === undefined) return undefined;
    const schema = schemaOf(compiledOrSchema);
    const prefix = `${schema.root}.SoftwareModules.`;
    const book = yield* makeSoftwareModulesBook(sections, prefix);
    const provider = schema.objects.has(prefix)
      ? makeSoftwareModulesProvider({ modules, refs: book.refs, schema })
      : undefined;
    return {
      book,
      ...(provider === undefined ? {} : { provider }),
      start: (deps) =>
        Effect.gen(function* () {
          const manager = makeSoftwareModuleManager({
            modules,
            book,
            queue: deps.queue,
            fileTransfer: deps.fileTransfer,
            dataModel: deps.dataModel,
            managementServerPrefix: deps.managementServerPrefix,
            maxBytes: deps.maxBytes,
            timeout: deps.timeout,
          });
          deps.registry.register("ChangeDUState", manager.changeDUState);
          // Requests are carried out after a session, one run at a time.
          const kick = yield* Queue.sliding<void>(1);
          deps.onSessionEnded(() => {
            // Most sessions request no change: no pass for them (issue 11). A request saved
            // while a pass runs is picked up by that pass.
            if (book.hasPending()) Queue.unsafeOffer(kick, undefined);
          });
          const run = Effect.flatMap(
            Effect.orElseSucceed(manager.runPending, () => 0),
            (n) => (n > 0 ? Effect.sync(deps.requestSession) : Effect.void),
          );
          yield* Effect.forkScoped(Effect.forever(Effect.zipRight(Queue.take(kick), run)));
          if (modules.autonomousChanges !== undefined)
            yield* Effect.forkScoped(
              Stream.runForEach(modules.autonomousChanges, (change) =>
                Effect.flatMap(
                  Effect.orElseSucceed(manager.reportAutonomous(change), () => false),
                  (queued) => (queued ? Effect.sync(deps.requestSession) : Effect.void),
                ),
              ),
            );
        }),
    };
  });
