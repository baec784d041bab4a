/**
 * The UDP Connection Request message of TR-069 Annex G (requirement section 1.8), as pure
 * functions: parsing the HTTP-formatted GET carried in one datagram, its signature, and the
 * checks that decide whether it may wake the device.
 *
 * The message is `GET http://host:port?ts=…&id=…&un=…&cn=…&sig=… HTTP/1.1` where `sig` is the
 * hex HMAC-SHA1, keyed with ConnectionRequestPassword, of the text `ts‖id‖un‖cn`. A message
 * is dropped silently (the CPE never answers a UDP Connection Request) when `un` is not
 * ConnectionRequestUsername, when `sig` does not match, when its `id` was already accepted
 * (the ACS sends each message several times) or when `ts` is stale: older than the newest
 * accepted one, or further from the device's clock than the allowed skew.
 * @module
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { ConnectionRequestCredentials } from "@cpekit/core";

/** The five query values of a UDP Connection Request, decoded. */
export interface UdpConnectionRequestMessage {
  /** Seconds since the Unix epoch, decimal. */
  readonly ts: string;
  /** The message's ID (an unsigned integer), decimal. */
  readonly id: string;
  /** ConnectionRequestUsername. */
  readonly un: string;
  /** A cnonce chosen by the ACS. */
  readonly cn: string;
  /** Hex HMAC-SHA1 of `ts‖id‖un‖cn` keyed with ConnectionRequestPassword. */
  readonly sig: string;
}

const FIELDS = ["ts", "id", "un", "cn", "sig"] as const;
/** A datagram larger than this is no Connection Request (the ACS sends a couple of hundred bytes). */
export const MAX_UDP_CONNECTION_REQUEST_BYTES = 2048;

const decode = (s: string) => {
  try {
    return decodeURIComponent(s.replace(/\+/g, "%20"));
  } catch {
    return s;
  }
};

/**
 * Reads the request line of a datagram. `undefined` when it is not a GET with all five values
 * exactly once, `ts` and `id` decimal and `sig` 40 hex digits (headers after the request line
 * are ignored: they carry nothing the check needs).
 */
export const parseUdpConnectionRequest = (
  datagram: Uint8Array,
): UdpConnectionRequestMessage | undefined => {
  if (datagram.length > MAX_UDP_CONNECTION_REQUEST_BYTES) return undefined;
  const text = Buffer.from(datagram).toString("utf8");
  const line = text.split(/\r?\n/, 1)[0] ?? "";
  const m = /^GET (\S+) HTTP\/1\.[01]$/.exec(line);
  if (m === null) return undefined;
  const target = m[1] as string;
  const q = target.indexOf("?");
  if (q < 0) return undefined;
  const values = new Map<string, string>();
  for (const pair of target.slice(q + 1).split("&")) {
    const eq = pair.indexOf("=");
    const key = eq < 0 ? pair : pair.slice(0, eq);
    if (!(FIELDS as readonly string[]).includes(key)) continue;
    // A value given twice is ambiguous: which one was signed?
    if (values.has(key)) return undefined;
    values.set(key, eq < 0 ? "" : decode(pair.slice(eq + 1)));
  }
  const [ts, id, un, cn, sig] = FIELDS.map((f) => values.get(f));
  if (ts === undefined || id === undefined || un === undefined || cn === undefined)
    return undefined;
  if (sig === undefined || !/^[0-9a-fA-F]{40}$/.test(sig)) return undefined;
  if (!/^\d{1,15}$/.test(ts) || !/^\d{1,20}$/.test(id)) return undefined;
  return { ts, id, un, cn, sig };
};

/** The signature of a message: hex HMAC-SHA1 of `ts‖id‖un‖cn`, keyed with the password. */
export const udpConnectionRequestSignature = (
  password: string,
  m: Pick<UdpConnectionRequestMessage, "ts" | "id" | "un" | "cn">,
): string =>
  createHmac("sha1", Buffer.from(password, "utf8"))
    .update(`${m.ts}${m.id}${m.un}${m.cn}`, "utf8")
    .digest("hex");

/** What the listener remembers of accepted messages, to refuse replays. */
export interface UdpReplayState {
  /** The `ts` of the newest accepted message. */
  readonly newestTs: number | undefined;
  /** IDs of the last accepted messages, oldest first. */
  readonly recentIds: readonly string[];
}

/** The state before any message. */
export const initialUdpReplayState: UdpReplayState = { newestTs: undefined, recentIds: [] };

/** Limits of the checks. */
export interface UdpCheckPolicy {
  /**
   * Largest allowed distance in seconds between `ts` and the device's clock; `undefined`
   * skips the comparison (a device that does not know the time). Default 300.
   */
  readonly maxSkewSeconds?: number | undefined;
  /** How many accepted IDs are remembered. Default 64. */
  readonly rememberedIds?: number;
}

/** Why a message was dropped, or that it was accepted. */
export type UdpCheckVerdict = "accepted" | "wrongUsername" | "badSignature" | "replayed" | "stale";

const sameHex = (a: string, b: string) => {
  const x = Buffer.from(a.toLowerCase(), "utf8");
  const y = Buffer.from(b.toLowerCase(), "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Decides on one message at `nowSeconds`. Authentication comes first, so forged messages never
 * touch the replay state; only an accepted message updates it.
 */
export const checkUdpConnectionRequest = (
  message: UdpConnectionRequestMessage,
  credentials: ConnectionRequestCredentials,
  state: UdpReplayState,
  nowSeconds: number,
  policy: UdpCheckPolicy = {},
): readonly [UdpCheckVerdict, UdpReplayState] => {
  if (message.un !== credentials.username) return ["wrongUsername", state];
  if (!sameHex(message.sig, udpConnectionRequestSignature(credentials.password, message)))
    return ["badSignature", state];
  if (state.recentIds.includes(message.id)) return ["replayed", state];
  const ts = Number(message.ts);
  const skew = "maxSkewSeconds" in policy ? policy.maxSkewSeconds : 300;
  if (state.newestTs !== undefined && ts < state.newestTs) return ["stale", state];
  if (skew !== undefined && Math.abs(ts - nowSeconds) > skew) return ["stale", state];
  const keep = policy.rememberedIds ?? 64;
  return [
    "accepted",
    {
      newestTs: Math.max(ts, state.newestTs ?? ts),
      recentIds: [...state.recentIds, message.id].slice(-keep),
    },
  ];
};
