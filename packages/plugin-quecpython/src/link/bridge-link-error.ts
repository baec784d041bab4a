/**
 * The typed error of the bridge link.
 * @module
 */
import { Data } from "effect";

/**
 * Why a link operation failed:
 * - `Timeout`: no reply within the request's time limit;
 * - `Disconnected`: the stream closed (module reset, port gone) before the reply, or the link
 *   is waiting to reconnect;
 * - `Closed`: the link was closed by its owner;
 * - `Remote`: the bridge answered with an error;
 * - `Protocol`: the reply had an unexpected shape;
 * - `ConnectFailed`: opening the stream failed.
 */
export type BridgeLinkErrorReason =
  | "Timeout"
  | "Disconnected"
  | "Closed"
  | "Remote"
  | "Protocol"
  | "ConnectFailed";

/** A failed link operation. */
export class BridgeLinkError extends Data.TaggedError("BridgeLinkError")<{
  readonly reason: BridgeLinkErrorReason;
  readonly detail: string;
  readonly requestId?: number;
  readonly cause?: unknown;
}> {
  override get message(): string {
    const id = this.requestId === undefined ? "" : ` (request ${this.requestId})`;
    return `bridge link ${this.reason}${id}: ${this.detail}`;
  }
}

/** Type guard for {@link BridgeLinkError}. */
export const isBridgeLinkError = (u: unknown): u is BridgeLinkError => u instanceof BridgeLinkError;
