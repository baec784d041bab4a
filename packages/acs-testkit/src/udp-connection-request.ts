/**
 * The ACS side of a UDP Connection Request (TR-069 Annex G): one datagram holding an
 * HTTP-formatted `GET http://host:port?ts=&id=&un=&cn=&sig= HTTP/1.1`, where `sig` is the hex
 * HMAC-SHA1 of `ts‖id‖un‖cn` keyed with the ConnectionRequestPassword. UDP gives no answer, so
 * the message is sent several times (the same `id`: the CPE starts one session) and success is
 * seen only in the Inform that follows.
 * @module
 */
import { createHmac, randomBytes } from "node:crypto";
import * as dgram from "node:dgram";
import { Effect } from "effect";
import { TestAcsError } from "./testkit-error.js";

/** Where the CPE listens: UDPConnectionRequestAddress split into host and port. */
export interface UdpTarget {
  readonly host: string;
  readonly port: number;
}

/** The fields of one UDP Connection Request, signed. */
export interface UdpConnectionRequestMessage {
  /** Seconds since the epoch when sent. */
  readonly ts: string;
  /** Random, unique per request: the CPE drops a repeated one. */
  readonly id: string;
  readonly un: string;
  /** A cnonce, random. */
  readonly cn: string;
  readonly sig: string;
}

/** Signs a fresh request for `username` / `password` at `nowSeconds`. */
export const signUdpConnectionRequest = (
  username: string,
  password: string,
  nowSeconds: number,
): UdpConnectionRequestMessage => {
  const ts = String(Math.floor(nowSeconds));
  const id = String(randomBytes(4).readUInt32BE(0));
  const cn = randomBytes(8).toString("hex");
  const sig = createHmac("sha1", password).update(`${ts}${id}${username}${cn}`).digest("hex");
  return { ts, id, un: username, cn, sig };
};

/** The datagram's text for `message` sent to `target`. */
export const udpConnectionRequestText = (
  target: UdpTarget,
  message: UdpConnectionRequestMessage,
): string => {
  const authority = `${target.host}:${target.port}`;
  const query = `ts=${message.ts}&id=${message.id}&un=${encodeURIComponent(message.un)}&cn=${encodeURIComponent(message.cn)}&sig=${message.sig}`;
  return `GET http://${authority}?${query} HTTP/1.1\r\nHost: ${authority}\r\n\r\n`;
};

/** Reads `host:port` (UDPConnectionRequestAddress); `undefined` when it is not one. */
export const parseUdpTarget = (address: string): UdpTarget | undefined => {
  const m = /^(.+):(\d{1,5})$/.exec(address.trim());
  const port = Number(m?.[2]);
  if (m?.[1] === undefined || !(port >= 1 && port <= 65_535)) return undefined;
  return { host: m[1].replace(/^\[(.*)\]$/, "$1"), port };
};

/**
 * Sends one signed request `times` times (Annex G's retransmission; the CPE coalesces them) from
 * a fresh socket, to a loopback target only: tests never send traffic elsewhere.
 */
export const sendUdpConnectionRequest = (
  target: UdpTarget,
  username: string,
  password: string,
  options?: { readonly times?: number; readonly nowSeconds?: number },
): Effect.Effect<UdpConnectionRequestMessage, TestAcsError> =>
  Effect.async<UdpConnectionRequestMessage, TestAcsError>((resume) => {
    if (!/^(127\.\d+\.\d+\.\d+|localhost|::1)$/.test(target.host)) {
      resume(
        Effect.fail(
          new TestAcsError({
            reason: "BadInput",
            detail: `UDP connection requests go to loopback targets only, not ${target.host}`,
          }),
        ),
      );
      return;
    }
    const message = signUdpConnectionRequest(
      username,
      password,
      options?.nowSeconds ?? Date.now() / 1000,
    );
    const bytes = Buffer.from(udpConnectionRequestText(target, message));
    const socket = dgram.createSocket(target.host.includes(":") ? "udp6" : "udp4");
    let left = Math.max(1, options?.times ?? 3);
    const done = (error?: Error | null) => {
      if (error) {
        socket.close();
        resume(
          Effect.fail(
            new TestAcsError({
              reason: "Transport",
              detail: `UDP connection request to ${target.host}:${target.port}: ${error.message}`,
              cause: error,
            }),
          ),
        );
        return;
      }
      left -= 1;
      if (left > 0) socket.send(bytes, target.port, target.host, done);
      else {
        socket.close();
        resume(Effect.succeed(message));
      }
    };
    socket.send(bytes, target.port, target.host, done);
    return Effect.sync(() => {
      try {
        socket.close();
      } catch {
        // Already closed.
      }
    });
  });
