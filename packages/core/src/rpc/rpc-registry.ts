/**
 * The per-agent RPC registry: one `Map` from method name to handler that is both the
 * dispatcher and the source of the GetRPCMethods answer (a user registers a vendor `X_...`
 * method or replaces a built-in; an unknown method is answered with fault 9000).
 * @module
 */
import { Effect } from "effect";
import { cwmpFault } from "../cwmp/fault.js";
import type { DeviceActionsService } from "../ports/device-actions.js";
import type { CwmpMessage } from "../soap/messages.js";
import { faultMessageOf } from "../soap/rpc/fault.js";
import {
  type AfterSession,
  type AfterSessionRecorder,
  type CpeRequestMessage,
  noAfterSession,
  type ScheduleInformTrigger,
} from "./after-session.js";
import type { RpcDataModel } from "./rpc-data-model.js";
import type { RpcHandler, RpcSessionInfo } from "./rpc-handler.js";

/** What the session gives the registry for one ACS request (the rest comes from the registry). */
export interface DispatchContext {
  readonly dataModel: RpcDataModel;
  readonly deviceActions?: DeviceActionsService;
  readonly session: RpcSessionInfo;
}

/** The answer to one ACS request: a response or a `Fault`, and the work for after the session. */
export interface DispatchResult {
  readonly response: CwmpMessage;
  /** Empty when the answer is a fault: a refused Reboot must not reboot. */
  readonly afterSession: AfterSession;
}

/** The RPC registry of one agent. */
export interface RpcRegistry {
  /** Adds or replaces the handler of `name` (a CWMP method or a vendor `X_...` element). */
  readonly register: (name: string, handler: RpcHandler) => void;
  /** Removes `name`; true when it was registered. Its requests then get fault 9000. */
  readonly unregister: (name: string) => boolean;
  /**
   * Keeps only the listed methods (a whitelist, like the handler table of Quectel's client);
   * names not registered are ignored. Later `register` calls still add methods.
   */
  readonly allowOnly: (names: Iterable<string>) => void;
  /** Registered method names, in registration order: the GetRPCMethods MethodList. */
  readonly methods: () => readonly string[];
  /** True when `name` has a handler. */
  readonly has: (name: string) => boolean;
  /**
   * Runs the handler of `request`. Never fails: an unknown method is fault 9000, a handler's
   * CwmpFault becomes a `Fault` answer, and a handler that dies is answered with fault 9002.
   */
  readonly dispatch: (
    request: CwmpMessage,
    context: DispatchContext,
  ) => Effect.Effect<DispatchResult>;
}

/** The method name of a message: its element name (a vendor element's own name). */
export const methodName = (message: CwmpMessage): string =>
  message._tag === "VendorMessage" ? message.name : message._tag;

/** Collects what one handler asks for; one per dispatched request. */
const makeRecorder = (): AfterSessionRecorder & { readonly result: () => AfterSession } => {
  let reboot: string | undefined;
  let factoryReset = false;
  const scheduleInforms: ScheduleInformTrigger[] = [];
  const cpeRequests: CpeRequestMessage[] = [];
  return {
    reboot: (commandKey) => {
      reboot = commandKey;
    },
    factoryReset: () => {
      factoryReset = true;
    },
    scheduleInform: (trigger) => {
      scheduleInforms.push(trigger);
    },
    queueCpeRequest: (request) => {
      cpeRequests.push(request);
    },
    result: () => ({
      ...(reboot === undefined ? {} : { reboot }),
      ...(factoryReset ? { factoryReset } : {}),
      scheduleInforms: [...scheduleInforms],
      cpeRequests: [...cpeRequests],
    }),
  };
};

/** Creates a registry holding `handlers` (none by default; see `makeBuiltInRpcRegistry`). */
export const makeRpcRegistry = (
  handlers: Iterable<readonly [string, RpcHandler]> = [],
): RpcRegistry => {
  const table = new Map<string, RpcHandler>(handlers);
  const methods = (): readonly string[] => [...table.keys()];

  const dispatch = (
    request: CwmpMessage,
    context: DispatchContext,
  ): Effect.Effect<DispatchResult> =>
    Effect.suspend(() => {
      const name = methodName(request);
      const handler = table.get(name);
      if (handler === undefined) {
        return Effect.succeed({
          response: faultMessageOf(cwmpFault(9000, `method ${name} is not supported`)),
          afterSession: noAfterSession,
        });
      }
      const recorder = makeRecorder();
      return Effect.suspend(() =>
        handler({
          request,
          dataModel: context.dataModel,
          ...(context.deviceActions === undefined ? {} : { deviceActions: context.deviceActions }),
          session: context.session,
          methods,
          afterSession: recorder,
        }),
      ).pipe(
        Effect.map((response): DispatchResult => ({ response, afterSession: recorder.result() })),
        // A buggy handler must not end the session: the ACS gets 9002 and carries on.
        Effect.catchAllDefect((defect) =>
          Effect.fail(
            cwmpFault(
              9002,
              `handler of ${name} failed: ${defect instanceof Error ? defect.message : String(defect)}`,
            ),
          ),
        ),
        Effect.catchAll((fault) =>
          Effect.succeed<DispatchResult>({
            response: faultMessageOf(fault),
            afterSession: noAfterSession,
          }),
        ),
      );
    });

  return {
    register: (name, handler) => {
      table.set(name, handler);
    },
    unregister: (name) => table.delete(name),
    allowOnly: (names) => {
      const keep = new Set(names);
      for (const name of [...table.keys()]) if (!keep.has(name)) table.delete(name);
    },
    methods,
    has: (name) => table.has(name),
    dispatch,
  };
};
