/**
 * The JSON bodies carried in bridge frames (see `frame.ts` for the framing). Field names are
 * short on purpose: the bridge builds them in MicroPython on a module with little heap.
 * @module
 */

/** A JSON value as the bridge sends it. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

/** A value written through the bridge. */
export type BridgeScalar = string | number | boolean | null;

/** Host to bridge: the bridge's version and capabilities. */
export interface HelloRequest {
  readonly t: "hello";
}
/** Host to bridge: read several keys in one round trip. */
export interface GetRequest {
  readonly t: "get";
  readonly k: readonly string[];
}
/** Host to bridge: write several keys in one round trip. */
export interface SetRequest {
  readonly t: "set";
  readonly v: Readonly<Record<string, BridgeScalar>>;
}
/** Host to bridge: run an action (`reboot`, `fota`, ...). */
export interface ActionRequest {
  readonly t: "act";
  readonly a: string;
  readonly p?: Readonly<Record<string, JsonValue>>;
}
/** Any request. */
export type BridgeRequest = HelloRequest | GetRequest | SetRequest | ActionRequest;

/** Bridge to host: what the bridge serves. Also sent unsolicited (id 0) when it starts. */
export interface HelloReply {
  readonly t: "hello";
  /** Bridge protocol version. */
  readonly v: string;
  /** Readable keys. */
  readonly keys: readonly string[];
  /** Writable keys. */
  readonly set: readonly string[];
  /** Actions. */
  readonly act: readonly string[];
  /** `gc.mem_alloc()` on the module when the reply was built. */
  readonly mem: number;
  /** Milliseconds since the bridge started (`utime.ticks_ms`). */
  readonly up: number;
}
/** Bridge to host: values (JSON null for "unknown") and one error text per failed key. */
export interface GetReply {
  readonly t: "get";
  readonly v: Readonly<Record<string, JsonValue>>;
  readonly e: Readonly<Record<string, string>>;
}
/** Bridge to host: one error text per key that was not written. */
export interface SetReply {
  readonly t: "set";
  readonly e: Readonly<Record<string, string>>;
}
/** Bridge to host: an action's result. */
export interface ActionReply {
  readonly t: "act";
  readonly r: JsonValue;
}
/** Bridge to host: the request failed as a whole. */
export interface ErrorReply {
  readonly t: "err";
  readonly e: string;
}
/** Bridge to host, id 0: something happened on the module (data call up/down, network change). */
export interface BridgeEvent {
  readonly t: "ev";
  /** `data` (dataCall callback) or `net` (net callback). */
  readonly n: string;
  readonly p: JsonValue;
}
/** Any reply. */
export type BridgeReply = HelloReply | GetReply | SetReply | ActionReply | ErrorReply;

const isRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === "object" && u !== null && !Array.isArray(u);

/** Checks the shape of a decoded frame body; `undefined` when it is not a known message. */
export const asBridgeMessage = (body: unknown): BridgeReply | BridgeEvent | undefined => {
  if (!isRecord(body)) return undefined;
  switch (body.t) {
    case "hello":
      return Array.isArray(body.keys) && Array.isArray(body.set) && Array.isArray(body.act)
        ? (body as unknown as HelloReply)
        : undefined;
    case "get":
      return isRecord(body.v) && isRecord(body.e) ? (body as unknown as GetReply) : undefined;
    case "set":
      return isRecord(body.e) ? (body as unknown as SetReply) : undefined;
    case "act":
      return "r" in body ? (body as unknown as ActionReply) : undefined;
    case "err":
      return typeof body.e === "string" ? (body as unknown as ErrorReply) : undefined;
    case "ev":
      return typeof body.n === "string" ? (body as unknown as BridgeEvent) : undefined;
    default:
      return undefined;
  }
};
