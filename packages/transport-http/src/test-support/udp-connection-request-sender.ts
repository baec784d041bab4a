/**
 * Test support: the ACS side of a UDP Connection Request, written from TR-069 Annex G (not
 * from the listener's code): `GET http://host:port?ts=&id=&un=&cn=&sig= HTTP/1.1` in one
 * datagram, `sig` the hex HMAC-SHA1 of `ts‖id‖un‖cn` keyed with the password.
 * @module
 */
import { createHmac, randomBytes } from "node:crypto";
import * as dgram from "node:dgram";

/** The values of one message; `sig` is computed unless given. */
export interface UdpConnectionRequestFields {
  readonly ts: number | string;
  readonly id: number | string;
  readonly un: string;
  readonly cn: string;
  readonly sig?: string;
}

/** A fresh message signed with `password` at `nowSeconds`. */
export const freshFields = (
  username: string,
  password: string,
  nowSeconds: number,
): Required<UdpConnectionRequestFields> => {
  const ts = String(nowSeconds);
  const id = String(randomBytes(4).readUInt32BE(0));
  const cn = randomBytes(8).toString("hex");
  return { ts, id, un: username, cn, sig: sign(password, { ts, id, un: username, cn }) };
};

/** The Annex G signature. */
export const sign = (password: string, f: UdpConnectionRequestFields): string =>
  createHmac("sha1", password).update(`${f.ts}${f.id}${f.un}${f.cn}`).digest("hex");

/** The datagram text for `fields` addressed to `host:port` (values URL-encoded). */
export const datagramText = (
  target: { readonly host: string; readonly port: number },
  fields: UdpConnectionRequestFields,
  password: string,
): string => {
  const sig = fields.sig ?? sign(password, fields);
  const q = [
    `ts=${fields.ts}`,
    `id=${fields.id}`,
    `un=${encodeURIComponent(fields.un)}`,
    `cn=${encodeURIComponent(fields.cn)}`,
    `sig=${sig}`,
  ].join("&");
  const authority = `${target.host}:${target.port}`;
  return `GET http://${authority}?${q} HTTP/1.1\r\nHost: ${authority}\r\n\r\n`;
};

/** Sends `text` to 127.0.0.1:`port` `times` times from one fresh socket. */
export const sendDatagram = async (port: number, text: string | Uint8Array, times = 1) => {
  const socket = dgram.createSocket("udp4");
  try {
    for (let i = 0; i < times; i++)
      await new Promise<void>((resolve, reject) =>
        socket.send(typeof text === "string" ? Buffer.from(text) : text, port, "127.0.0.1", (e) =>
          e ? reject(e) : resolve(),
        ),
      );
  } finally {
    socket.close();
  }
};
