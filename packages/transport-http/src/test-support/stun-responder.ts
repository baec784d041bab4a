/**
 * Test support: a tiny STUN server on 127.0.0.1 that records every request as received (the
 * raw bytes, so tests see the Annex G attributes on the wire) and answers Binding Requests
 * with a mapped address of the test's choosing. It can insist on MESSAGE-INTEGRITY (401 to an
 * unsigned request, silence to a wrongly signed one), or stay silent.
 * @module
 */
import * as dgram from "node:dgram";
import {
  decodeStunMessage,
  encodeAddress,
  encodeErrorCode,
  encodeStunMessage,
  findAttribute,
  type IntegrityStyle,
  type StunAddress,
  StunAttr,
  type StunMessage,
  StunType,
  verifyStunIntegrity,
} from "../stun-message.js";

/** A request the responder received. */
export interface ReceivedStunRequest {
  readonly bytes: Uint8Array;
  readonly message: StunMessage;
  readonly from: { readonly address: string; readonly port: number };
}

/** How the responder behaves (may be changed while it runs). */
export interface StunResponderBehaviour {
  /** The mapped address to report; default the sender's own address. */
  mapped?: (from: { address: string; port: number }) => StunAddress;
  /** Require MESSAGE-INTEGRITY with this password and style. */
  requireIntegrity?: { readonly password: string; readonly style: IntegrityStyle };
  /** Answer nothing. */
  silent?: boolean;
}

/** A running responder. */
export interface StunResponder {
  readonly port: number;
  readonly requests: ReceivedStunRequest[];
  readonly behaviour: StunResponderBehaviour;
  /** Resolves once `n` requests were received (rejects after `timeoutMs`). */
  readonly waitForRequests: (n: number, timeoutMs?: number) => Promise<void>;
  readonly close: () => Promise<void>;
}

/** Starts a responder on 127.0.0.1 on a free port. */
export const startStunResponder = async (
  behaviour: StunResponderBehaviour = {},
): Promise<StunResponder> => {
  const socket = dgram.createSocket("udp4");
  const requests: ReceivedStunRequest[] = [];
  const waiters: Array<() => void> = [];
  socket.on("message", (bytes, rinfo) => {
    let message: StunMessage;
    try {
      message = decodeStunMessage(bytes);
    } catch {
      return;
    }
    if (message.type !== StunType.BindingRequest) return;
    const from = { address: rinfo.address, port: rinfo.port };
    requests.push({ bytes: new Uint8Array(bytes), message, from });
    for (const w of waiters.splice(0)) w();
    if (behaviour.silent) return;
    const reply = (out: Uint8Array) => socket.send(out, rinfo.port, rinfo.address);
    const need = behaviour.requireIntegrity;
    if (need !== undefined) {
      if (findAttribute(message, StunAttr.MessageIntegrity) === undefined) {
        reply(
          encodeStunMessage({
            type: StunType.BindingErrorResponse,
            transactionId: message.transactionId,
            attributes: [{ type: StunAttr.ErrorCode, value: encodeErrorCode(401, "Unauthorized") }],
          }),
        );
        return;
      }
      if (!verifyStunIntegrity(bytes, { key: need.password, style: need.style })) return;
    }
    const mapped = behaviour.mapped?.(from) ?? { family: "IPv4", ...from };
    reply(
      encodeStunMessage({
        type: StunType.BindingResponse,
        transactionId: message.transactionId,
        attributes: [
          {
            type: StunAttr.MappedAddress,
            value: encodeAddress(mapped, message.transactionId, false),
          },
        ],
      }),
    );
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  return {
    port: socket.address().port,
    requests,
    behaviour,
    waitForRequests: (n, timeoutMs = 10_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`only ${requests.length} of ${n} STUN requests arrived`)),
          timeoutMs,
        );
        const check = () => {
          if (requests.length >= n) {
            clearTimeout(timer);
            resolve();
          } else waiters.push(check);
        };
        check();
      }),
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
};
