/**
 * The CPE-initiated RPCs as a plugin module sees them: plain Promises over the agent's
 * `cpeRequests` (a plugin is plain code, without Effect). Each call resolves once the request
 * is saved in the agent's queue; its `answer()` then waits for the ACS's response. `answer` is a
 * function so that a plugin that never asks for it leaves no rejected Promise unhandled.
 * @module
 */
import type {
  ArgStruct,
  AutonomousTransfer,
  CpeRequests,
  KickedArguments,
  PendingCpeRequest,
} from "@cpekit/core";
import { Effect, Option } from "effect";

/** A request saved in the agent's queue; `answer()` waits for the ACS's response. */
export interface PluginPendingRequest<R> {
  readonly seq: number;
  readonly answer: () => Promise<R>;
}

/** The CPE-initiated RPCs a plugin makes (see `agent.cpeRequests` in `@cpekit/core`). */
export interface PluginCpeRequests {
  /** Kicked; the answer is the ACS's NextURL for the user. */
  readonly kicked: (args: KickedArguments) => Promise<PluginPendingRequest<string>>;
  readonly requestDownload: (
    fileType: string,
    fileTypeArg?: readonly ArgStruct[],
  ) => Promise<PluginPendingRequest<void>>;
  /** Undefined when AutonomousTransferCompletePolicy leaves the transfer out. */
  readonly autonomousTransferComplete: (
    transfer: AutonomousTransfer,
  ) => Promise<PluginPendingRequest<void> | undefined>;
  /** The answer is the ACS's MethodList. */
  readonly getRpcMethods: () => Promise<PluginPendingRequest<readonly string[]>>;
}

const pending = <R, T>(
  p: PendingCpeRequest<R>,
  read: (response: R) => T,
): PluginPendingRequest<T> => ({
  seq: p.seq,
  answer: () => Effect.runPromise(Effect.map(p.answer, read)),
});

/** The Promise view of `api`. */
export const pluginCpeRequests = (api: CpeRequests): PluginCpeRequests => ({
  kicked: (args) =>
    Effect.runPromise(Effect.map(api.kicked(args), (p) => pending(p, (r) => r.nextUrl))),
  requestDownload: (fileType, fileTypeArg) =>
    Effect.runPromise(
      Effect.map(api.requestDownload(fileType, fileTypeArg), (p) => pending(p, () => undefined)),
    ),
  autonomousTransferComplete: (transfer) =>
    Effect.runPromise(
      Effect.map(api.autonomousTransferComplete(transfer), (o) =>
        Option.getOrUndefined(Option.map(o, (p) => pending(p, () => undefined))),
      ),
    ),
  getRpcMethods: () =>
    Effect.runPromise(Effect.map(api.getRpcMethods(), (p) => pending(p, (r) => r.methodList))),
});
