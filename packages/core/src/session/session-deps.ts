/**
 * What one running session uses besides its protocol state: its open connection, the codec,
 * the RPC registry and what handlers act on, and the Effect runtime its exchanges run in. They
 * travel in the session's input (and context), beside the exchange that uses them, so that one
 * machine serves every session: providing actors per session cost ~0.65 ms and ~38 KiB each.
 * They are live objects, never serialised (no snapshot of a session is persisted).
 * @module
 */
import type { Runtime } from "effect";
import type { AcsConnection } from "../ports/acs-transport.js";
import type { DeviceActionsService } from "../ports/device-actions.js";
import type { RpcDataModel } from "../rpc/rpc-data-model.js";
import type { RpcRegistry } from "../rpc/rpc-registry.js";
import type { SessionCodec } from "./session-codec.js";

/** The per-session dependencies of the exchange of `run-session.ts` (`effect-exchange.ts`). */
export interface SessionDeps {
  /** The session's connection (its cookies and Digest state), open for the whole session. */
  readonly connection: AcsConnection;
  readonly codec: SessionCodec;
  readonly registry: RpcRegistry;
  readonly dataModel: RpcDataModel;
  readonly deviceActions?: DeviceActionsService;
  /** The runtime (services, `Clock` included) the exchanges' Effect programs run with. */
  readonly runtime: Runtime.Runtime<never>;
}
