/**
 * STUN messages as TR-069 Annex G uses them (requirement section 1.8): Binding Requests and
 * their answers in the classic RFC 3489 form, read and written as RFC 5389 allows (a request
 * carrying the magic cookie is still a valid RFC 3489 request whose transaction ID happens to
 * start with it), plus the two Annex G attributes CONNECTION-REQUEST-BINDING and
 * BINDING-CHANGE. Pure functions over bytes; the socket is elsewhere (`stun-client.ts`).
 *
 * Written by hand on node:crypto: the npm `stun` package (nodertc, last released 2020) pulls in
 * `ip` and `parse-url`, which carry known advisories, and signs only the RFC 5389 way.
 * @module
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { isIPv4, isIPv6 } from "node:net";

/** Message types used here (class and method packed as RFC 5389 §6 does). */
export const StunType = {
  BindingRequest: 0x0001,
  BindingResponse: 0x0101,
  BindingErrorResponse: 0x0111,
} as const;

/** Attribute types used here. The Annex G ones are comprehension-optional (>= 0x8000). */
export const StunAttr = {
  MappedAddress: 0x0001,
  Username: 0x0006,
  MessageIntegrity: 0x0008,
  ErrorCode: 0x0009,
  UnknownAttributes: 0x000a,
  XorMappedAddress: 0x0020,
  Software: 0x8022,
  Fingerprint: 0x8028,
  /** Annex G: present in every Binding Request sent for UDP Connection Requests. */
  ConnectionRequestBinding: 0xc001,
  /** Annex G: present when the CPE saw its binding change. */
  BindingChange: 0xc002,
} as const;

/** RFC 5389's magic cookie (the first 4 bytes of an RFC 3489 transaction ID). */
export const MAGIC_COOKIE = 0x2112a442;

/** The fixed value of CONNECTION-REQUEST-BINDING (Annex G, 20 bytes with the trailing space). */
export const CONNECTION_REQUEST_BINDING_VALUE = "dslforum.org/TR-111 ";

/** How MESSAGE-INTEGRITY is computed: RFC 3489 pads the signed text with zeros to 64 bytes. */
export type IntegrityStyle = "rfc3489" | "rfc5389";

/** One attribute as found on the wire (value without padding). */
export interface StunAttribute {
  readonly type: number;
  readonly value: Uint8Array;
}

/** A transport address in a (XOR-)MAPPED-ADDRESS. */
export interface StunAddress {
  readonly family: "IPv4" | "IPv6";
  readonly address: string;
  readonly port: number;
}

/** A decoded message. */
export interface StunMessage {
  readonly type: number;
  /** 16 bytes (RFC 3489); with RFC 5389 the first 4 are the magic cookie. */
  readonly transactionId: Uint8Array;
  readonly attributes: readonly StunAttribute[];
}

/** Why bytes are not a STUN message. */
export class StunDecodeError extends Error {
  override readonly name = "StunDecodeError";
}

const HEADER = 20;
const MI_LENGTH = 24;

const pad4 = (n: number) => (n + 3) & ~3;

/** Whether `bytes` can be a STUN message at all (the demultiplexing test of RFC 5389 §6/§7.3). */
export const looksLikeStun = (bytes: Uint8Array): boolean =>
  bytes.length >= HEADER && (bytes[0] as number) < 0x04 && ((bytes[3] as number) & 0x03) === 0;

/** Decodes one message; fails on a short, misaligned or overrunning message. */
export const decodeStunMessage = (bytes: Uint8Array): StunMessage => {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < HEADER) throw new StunDecodeError(`${buf.length} bytes: shorter than a header`);
  const type = buf.readUInt16BE(0);
  if ((type & 0xc000) !== 0) throw new StunDecodeError("the two leading bits are not zero");
  const length = buf.readUInt16BE(2);
  if (length % 4 !== 0) throw new StunDecodeError(`length ${length} is not a multiple of 4`);
  if (HEADER + length !== buf.length)
    throw new StunDecodeError(`length ${length} but ${buf.length - HEADER} bytes follow`);
  const attributes: StunAttribute[] = [];
  let at = HEADER;
  while (at < buf.length) {
    if (at + 4 > buf.length) throw new StunDecodeError("truncated attribute header");
    const attrType = buf.readUInt16BE(at);
    const attrLength = buf.readUInt16BE(at + 2);
    if (at + 4 + attrLength > buf.length)
      throw new StunDecodeError(`attribute 0x${attrType.toString(16)} overruns the message`);
    attributes.push({
      type: attrType,
      value: new Uint8Array(buf.subarray(at + 4, at + 4 + attrLength)),
    });
    at += 4 + pad4(attrLength);
  }
  return {
    type,
    transactionId: new Uint8Array(buf.subarray(4, HEADER)),
    attributes,
  };
};

const header = (type: number, length: number, transactionId: Uint8Array) => {
  if (transactionId.length !== 16) throw new RangeError("a transaction ID has 16 bytes");
  const h = Buffer.alloc(HEADER);
  h.writeUInt16BE(type, 0);
  h.writeUInt16BE(length, 2);
  h.set(transactionId, 4);
  return h;
};

const encodeAttributes = (attributes: readonly StunAttribute[]) =>
  Buffer.concat(
    attributes.map((a) => {
      const out = Buffer.alloc(4 + pad4(a.value.length));
      out.writeUInt16BE(a.type, 0);
      out.writeUInt16BE(a.value.length, 2);
      out.set(a.value, 4);
      return out;
    }),
  );

/** The HMAC-SHA1 over `signed` (header with its final length, then the attributes before MI). */
const integrity = (signed: Buffer, key: string, style: IntegrityStyle) => {
  const text =
    style === "rfc3489" && signed.length % 64 !== 0
      ? Buffer.concat([signed, Buffer.alloc(64 - (signed.length % 64))])
      : signed;
  return createHmac("sha1", Buffer.from(key, "utf8")).update(text).digest();
};

/** What to sign a message with: the key (STUNPassword) and the style of the peer. */
export interface StunSigning {
  readonly key: string;
  readonly style: IntegrityStyle;
}

/**
 * Encodes a message. With `signing`, MESSAGE-INTEGRITY is appended last (RFC 3489 wants it
 * last; no FINGERPRINT is written, which RFC 3489 servers would not know).
 */
export const encodeStunMessage = (message: StunMessage, signing?: StunSigning): Uint8Array => {
  const body = encodeAttributes(message.attributes);
  if (signing === undefined)
    return new Uint8Array(
      Buffer.concat([header(message.type, body.length, message.transactionId), body]),
    );
  const h = header(message.type, body.length + MI_LENGTH, message.transactionId);
  const mac = integrity(Buffer.concat([h, body]), signing.key, signing.style);
  const mi = Buffer.alloc(4);
  mi.writeUInt16BE(StunAttr.MessageIntegrity, 0);
  mi.writeUInt16BE(20, 2);
  return new Uint8Array(Buffer.concat([h, body, mi, mac]));
};

/**
 * Checks the MESSAGE-INTEGRITY of raw message bytes against `key`. False when the message has
 * none, or when it does not match.
 */
export const verifyStunIntegrity = (bytes: Uint8Array, signing: StunSigning): boolean => {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let message: StunMessage;
  try {
    message = decodeStunMessage(buf);
  } catch {
    return false;
  }
  let at = HEADER;
  for (const a of message.attributes) {
    if (a.type === StunAttr.MessageIntegrity) {
      if (a.value.length !== 20) return false;
      const h = header(message.type, at - HEADER + MI_LENGTH, message.transactionId);
      const expected = integrity(
        Buffer.concat([h, buf.subarray(HEADER, at)]),
        signing.key,
        signing.style,
      );
      return timingSafeEqual(expected, Buffer.from(a.value));
    }
    at += 4 + pad4(a.value.length);
  }
  return false;
};

/** The first attribute of `type`, if any. */
export const findAttribute = (message: StunMessage, type: number): StunAttribute | undefined =>
  message.attributes.find((a) => a.type === type);

const hasCookie = (transactionId: Uint8Array) =>
  Buffer.from(transactionId).readUInt32BE(0) === MAGIC_COOKIE;

/** Writes an address attribute value; XOR'd with the cookie and ID when `xor`. */
export const encodeAddress = (
  address: StunAddress,
  transactionId: Uint8Array,
  xor: boolean,
): Uint8Array => {
  const ip =
    address.family === "IPv4"
      ? Buffer.from(address.address.split(".").map(Number))
      : ipv6Bytes(address.address);
  const out = Buffer.alloc(4 + ip.length);
  out.writeUInt8(address.family === "IPv4" ? 1 : 2, 1);
  const mask = Buffer.from(transactionId);
  out.writeUInt16BE(xor ? address.port ^ (MAGIC_COOKIE >>> 16) : address.port, 2);
  for (let i = 0; i < ip.length; i++)
    out[4 + i] = (ip[i] as number) ^ (xor ? (mask[i] as number) : 0);
  return new Uint8Array(out);
};

const ipv6Bytes = (text: string): Buffer => {
  const [head = "", tail] = text.split("::");
  const groups = (s: string) => (s === "" ? [] : s.split(":"));
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const all = [...h, ...Array<string>(8 - h.length - t.length).fill("0"), ...t];
  const out = Buffer.alloc(16);
  for (const [i, g] of all.entries()) out.writeUInt16BE(Number.parseInt(g, 16), i * 2);
  return out;
};

/** Reads an address attribute value; `undefined` when malformed. */
export const decodeAddress = (
  value: Uint8Array,
  transactionId: Uint8Array,
  xor: boolean,
): StunAddress | undefined => {
  const v = Buffer.from(value);
  if (v.length < 4) return undefined;
  const family = v.readUInt8(1);
  const size = family === 1 ? 4 : family === 2 ? 16 : 0;
  if (size === 0 || v.length !== 4 + size) return undefined;
  const mask = Buffer.from(transactionId);
  const port = xor ? v.readUInt16BE(2) ^ (MAGIC_COOKIE >>> 16) : v.readUInt16BE(2);
  const ip = Buffer.alloc(size);
  for (let i = 0; i < size; i++) ip[i] = (v[4 + i] as number) ^ (xor ? (mask[i] as number) : 0);
  if (family === 1) return { family: "IPv4", address: [...ip].join("."), port };
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(ip.readUInt16BE(i).toString(16));
  return { family: "IPv6", address: groups.join(":"), port };
};

/**
 * The mapped address of a Binding Response: XOR-MAPPED-ADDRESS when the server is RFC 5389
 * (it only XORs when the request carried the cookie), else MAPPED-ADDRESS.
 */
export const mappedAddress = (response: StunMessage): StunAddress | undefined => {
  const xor = findAttribute(response, StunAttr.XorMappedAddress);
  if (xor !== undefined && hasCookie(response.transactionId)) {
    const a = decodeAddress(xor.value, response.transactionId, true);
    if (a !== undefined) return a;
  }
  const plain = findAttribute(response, StunAttr.MappedAddress);
  return plain === undefined
    ? undefined
    : decodeAddress(plain.value, response.transactionId, false);
};

/** The error of a Binding Error Response (`code` 401 asks for credentials). */
export const errorCode = (
  response: StunMessage,
): { readonly code: number; readonly reason: string } | undefined => {
  const a = findAttribute(response, StunAttr.ErrorCode);
  if (a === undefined || a.value.length < 4) return undefined;
  const v = Buffer.from(a.value);
  return {
    code: ((v[2] as number) & 0x07) * 100 + (v[3] as number),
    reason: v.subarray(4).toString("utf8"),
  };
};

/** An ERROR-CODE attribute value. */
export const encodeErrorCode = (code: number, reason: string): Uint8Array => {
  const text = Buffer.from(reason, "utf8");
  const out = Buffer.alloc(4 + text.length);
  out[2] = Math.floor(code / 100);
  out[3] = code % 100;
  text.copy(out, 4);
  return new Uint8Array(out);
};

/** What an Annex G Binding Request carries. */
export interface AnnexGBindingRequest {
  readonly transactionId: Uint8Array;
  /** Adds BINDING-CHANGE: the CPE saw its public binding change. */
  readonly bindingChange: boolean;
  /** STUNUsername and STUNPassword, once the server asked for them (401). */
  readonly credentials?: {
    readonly username: string;
    readonly password: string;
    readonly style: IntegrityStyle;
  };
}

/**
 * A Binding Request as Annex G wants it: CONNECTION-REQUEST-BINDING always, BINDING-CHANGE
 * when the binding changed, USERNAME and MESSAGE-INTEGRITY when credentials are given.
 */
export const annexGBindingRequest = (request: AnnexGBindingRequest): Uint8Array => {
  const attributes: StunAttribute[] = [
    {
      type: StunAttr.ConnectionRequestBinding,
      value: new Uint8Array(Buffer.from(CONNECTION_REQUEST_BINDING_VALUE, "ascii")),
    },
  ];
  if (request.bindingChange)
    attributes.push({ type: StunAttr.BindingChange, value: new Uint8Array() });
  const c = request.credentials;
  if (c !== undefined)
    attributes.unshift({ type: StunAttr.Username, value: new Uint8Array(Buffer.from(c.username)) });
  const message = {
    type: StunType.BindingRequest,
    transactionId: request.transactionId,
    attributes,
  };
  return c === undefined
    ? encodeStunMessage(message)
    : encodeStunMessage(message, { key: c.password, style: c.style });
};

/** A fresh transaction ID with the magic cookie (so RFC 5389 servers answer XOR-MAPPED-ADDRESS). */
export const newTransactionId = (random: (n: number) => Uint8Array): Uint8Array => {
  const id = Buffer.alloc(16);
  id.writeUInt32BE(MAGIC_COOKIE, 0);
  id.set(random(12), 4);
  return new Uint8Array(id);
};

/** Host text for an address: IPv6 in brackets, as UDPConnectionRequestAddress wants (RFC 3986). */
export const authority = (a: { readonly address: string; readonly port: number }): string =>
  `${isIPv6(a.address) && !isIPv4(a.address) ? `[${a.address}]` : a.address}:${a.port}`;
