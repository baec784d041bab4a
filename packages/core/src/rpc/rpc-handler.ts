/**
 * What an RPC handler is: a function from the ACS's request (with its context) to the response
 * message, or a {@link CwmpFault}. Handlers are registered by method name in an
 * `RpcRegistry` (see `rpc-registry.ts`).
 * @module
 */
import { Effect } from "effect";
import { type CwmpFault, cwmpFault } from "../cwmp/fault.js";
import type { DeviceActionsService } from "../ports/device-actions.js";
import type {
  CwmpMessage,
  CwmpMessageOf,
  CwmpMessageTag,
  CwmpVersion,
  SoapHeader,
} from "../soap/messages.js";
import type { AfterSessionRecorder } from "./after-session.js";
import type { RpcDataModel } from "./rpc-data-model.js";

// Kept importable from here too: the agent imports it from this module.
export type { CpeRequestMessage } from "./after-session.js";

/** What the session knows when it runs a handler. */
export interface RpcSessionInfo {
  /** The CWMP version in use in this session (after UseCWMPVersion, V7). */
  readonly version: CwmpVersion;
  /** The SOAP header of the ACS's request (its `id` is echoed by the session, V4). */
  readonly header: SoapHeader;
}

/** Everything a handler receives; all of it belongs to one device (no globals). */
export interface RpcContext<M extends CwmpMessage = CwmpMessage> {
  /** The ACS's request. */
  readonly request: M;
  /** The device's data model. */
  readonly dataModel: RpcDataModel;
  /** The device's actions (reboot, factory reset), when the agent has them. */
  readonly deviceActions?: DeviceActionsService;
  /** The session this request arrived in. */
  readonly session: RpcSessionInfo;
  /** The method names registered now (the GetRPCMethods answer). */
  readonly methods: () => readonly string[];
  /** Where to record work for after the session. */
  readonly afterSession: AfterSessionRecorder;
}

/**
 * An RPC handler: answers the response message, or fails with the {@link CwmpFault} to send
 * back as a SOAP Fault. A handler that dies (defect) is answered with fault 9002.
 */
export type RpcHandler<M extends CwmpMessage = CwmpMessage> = (
  context: RpcContext<M>,
) => Effect.Effect<CwmpMessage, CwmpFault>;

/**
 * Builds an {@link RpcHandler} for one message type: the request is checked against `tag` (a
 * handler registered under another name, or a vendor element, gets fault 9003 instead of a
 * crash), then `handle` sees it narrowed.
 */
export const rpcHandler =
  <T extends CwmpMessageTag>(
    tag: T,
    handle: (context: RpcContext<CwmpMessageOf<T>>) => Effect.Effect<CwmpMessage, CwmpFault>,
  ): RpcHandler =>
  (context) =>
    context.request._tag === tag
      ? handle(context as RpcContext<CwmpMessageOf<T>>)
      : Effect.fail(cwmpFault(9003, `expected ${tag}, got ${context.request._tag}`));
