import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  annexGBindingRequest,
  authority,
  decodeAddress,
  decodeStunMessage,
  encodeAddress,
  encodeErrorCode,
  encodeStunMessage,
  errorCode,
  looksLikeStun,
  MAGIC_COOKIE,
  mappedAddress,
  newTransactionId,
  StunAttr,
  StunType,
  verifyStunIntegrity,
} from "./stun-message.js";

const tid = (fill: number, cookie = true) => {
  const id = Buffer.alloc(16, fill);
  if (cookie) id.writeUInt32BE(MAGIC_COOKIE, 0);
  return new Uint8Array(id);
};

/** A 20-byte header: `first` and `fourth` are bytes 0 and 3, the rest a valid empty request. */
const headerWith = (first: number, fourth: number) => {
  const b = Buffer.from(annexGBindingRequest({ transactionId: tid(1), bindingChange: false }));
  b[0] = first;
  b[3] = fourth;
  return b;
};

const response = (id: Uint8Array, attributes: { type: number; value: Uint8Array }[]) =>
  decodeStunMessage(
    encodeStunMessage({ type: StunType.BindingResponse, transactionId: id, attributes }),
  );

describe("STUN message edges (§1.8, RFC 3489/5389 as Annex G uses them)", () => {
  it("§1.8: looksLikeStun: 20 bytes or more, first byte below 4, length a multiple of 4 (low bits of byte 3 clear)", () => {
    expect(looksLikeStun(new Uint8Array(20))).toBe(true);
    expect(looksLikeStun(new Uint8Array(19))).toBe(false);
    expect(looksLikeStun(headerWith(0x03, 0x20))).toBe(true);
    expect(looksLikeStun(headerWith(0x04, 0x20))).toBe(false);
    expect(looksLikeStun(headerWith(0x00, 0x21))).toBe(false);
    expect(looksLikeStun(headerWith(0x00, 0x22))).toBe(false);
  });

  it("§1.8: decode refuses each malformation with its own reason", () => {
    const ok = Buffer.from(annexGBindingRequest({ transactionId: tid(2), bindingChange: false }));
    expect(() => decodeStunMessage(new Uint8Array(3))).toThrow(
      expect.objectContaining({ name: "StunDecodeError" }),
    );
    expect(() => decodeStunMessage(new Uint8Array(19))).toThrow("19 bytes: shorter than a header");
    const topBit = Buffer.from(ok);
    topBit[0] = 0x80;
    expect(() => decodeStunMessage(topBit)).toThrow("the two leading bits are not zero");
    const secondBit = Buffer.from(ok);
    secondBit[0] = 0x40;
    expect(() => decodeStunMessage(secondBit)).toThrow("the two leading bits are not zero");
    const odd = Buffer.concat([ok, Buffer.alloc(2)]);
    odd.writeUInt16BE(ok.length - 20 + 2, 2);
    expect(() => decodeStunMessage(odd)).toThrow(`length ${ok.length - 18} is not a multiple of 4`);
    const short = Buffer.from(ok);
    short.writeUInt16BE(ok.length - 20 + 4, 2);
    expect(() => decodeStunMessage(short)).toThrow(
      `length ${ok.length - 16} but ${ok.length - 20} bytes follow`,
    );
    const overrun = Buffer.from(ok);
    overrun.writeUInt16BE(21, 22);
    expect(() => decodeStunMessage(overrun)).toThrow("attribute 0xc001 overruns the message");
  });

  it("§1.8: an attribute ending exactly at the message end decodes; padding is skipped to the next one", () => {
    const id = tid(3);
    const m = decodeStunMessage(
      encodeStunMessage({
        type: StunType.BindingRequest,
        transactionId: id,
        attributes: [
          { type: 0x8001, value: new Uint8Array([1, 2, 3, 4, 5]) },
          { type: 0x8002, value: new Uint8Array([9, 9, 9, 9]) },
        ],
      }),
    );
    expect(m.type).toBe(StunType.BindingRequest);
    expect([...m.transactionId]).toEqual([...id]);
    expect(m.attributes.map((a) => [a.type, [...a.value]])).toEqual([
      [0x8001, [1, 2, 3, 4, 5]],
      [0x8002, [9, 9, 9, 9]],
    ]);
  });

  it("§1.8: an encoded message has the type, the body length and the transaction ID in its header; attributes are padded to 4 bytes", () => {
    const id = tid(4);
    const bytes = Buffer.from(
      encodeStunMessage({
        type: StunType.BindingErrorResponse,
        transactionId: id,
        attributes: [{ type: 0x8001, value: new Uint8Array([7]) }],
      }),
    );
    expect(bytes.toString("hex")).toBe(
      `01110008${Buffer.from(id).toString("hex")}800100010700${"0000"}`,
    );
    expect(() =>
      encodeStunMessage({ type: 1, transactionId: new Uint8Array(12), attributes: [] }),
    ).toThrow("a transaction ID has 16 bytes");
  });

  it("§1.8: a signed message ends with a 20-byte MESSAGE-INTEGRITY counted in the header length", () => {
    const bytes = Buffer.from(
      annexGBindingRequest({
        transactionId: tid(5),
        bindingChange: false,
        credentials: { username: "user", password: "pw", style: "rfc5389" },
      }),
    );
    expect(bytes.readUInt16BE(2)).toBe(bytes.length - 20);
    expect(bytes.readUInt16BE(bytes.length - 24)).toBe(StunAttr.MessageIntegrity);
    expect(bytes.readUInt16BE(bytes.length - 22)).toBe(20);
    expect(verifyStunIntegrity(bytes, { key: "pw", style: "rfc5389" })).toBe(true);
  });

  it("§1.8: RFC 3489 integrity pads to 64 bytes: a message whose signed part is exactly 64 bytes verifies the same in both styles", () => {
    // Header 20 + USERNAME (4 + 4) + CONNECTION-REQUEST-BINDING (4 + 20) + 12-byte attribute = 64.
    const id = tid(6);
    const signed = encodeStunMessage(
      {
        type: StunType.BindingRequest,
        transactionId: id,
        attributes: [
          { type: StunAttr.Username, value: new Uint8Array(Buffer.from("abcd")) },
          {
            type: StunAttr.ConnectionRequestBinding,
            value: new Uint8Array(Buffer.from("dslforum.org/TR-111 ")),
          },
          { type: 0x8001, value: new Uint8Array(8) },
        ],
      },
      { key: "k", style: "rfc3489" },
    );
    expect(signed.length - 24).toBe(64);
    expect(verifyStunIntegrity(signed, { key: "k", style: "rfc5389" })).toBe(true);
    expect(verifyStunIntegrity(signed, { key: "k", style: "rfc3489" })).toBe(true);
  });

  it("§1.8: RFC 3489 integrity is the HMAC-SHA1 of the signed part padded with zeros to a multiple of 64 bytes; RFC 5389's of the signed part alone", () => {
    const sign = (style: "rfc3489" | "rfc5389") =>
      Buffer.from(
        annexGBindingRequest({
          transactionId: tid(10),
          bindingChange: true,
          credentials: { username: "user", password: "pw", style },
        }),
      );
    const hmac = (data: Buffer) => createHmac("sha1", "pw").update(data).digest();
    const r3489 = sign("rfc3489");
    // Everything before MESSAGE-INTEGRITY's own attribute header (4 bytes) and value (20).
    const signed = r3489.subarray(0, r3489.length - 24);
    expect(signed.length % 64).not.toBe(0);
    const padded = Buffer.concat([signed, Buffer.alloc(64 - (signed.length % 64))]);
    expect(r3489.subarray(-20)).toEqual(hmac(padded));
    expect(hmac(padded)).not.toEqual(hmac(signed));
    const r5389 = sign("rfc5389");
    expect(r5389.subarray(-20)).toEqual(hmac(r5389.subarray(0, r5389.length - 24)));
  });

  it("§1.8: integrity fails without MESSAGE-INTEGRITY, with one of the wrong size, and on bytes that are no message", () => {
    const plain = annexGBindingRequest({ transactionId: tid(7), bindingChange: true });
    expect(verifyStunIntegrity(plain, { key: "k", style: "rfc3489" })).toBe(false);
    const shortMi = encodeStunMessage({
      type: StunType.BindingRequest,
      transactionId: tid(7),
      attributes: [{ type: StunAttr.MessageIntegrity, value: new Uint8Array(16) }],
    });
    expect(verifyStunIntegrity(shortMi, { key: "k", style: "rfc3489" })).toBe(false);
    expect(verifyStunIntegrity(new Uint8Array(10), { key: "k", style: "rfc3489" })).toBe(false);
  });

  it("§1.8: integrity is checked over the header (its length ending at MESSAGE-INTEGRITY) and the attributes before it: one after it (a FINGERPRINT) changes nothing", () => {
    const signed = Buffer.from(
      annexGBindingRequest({
        transactionId: tid(8),
        bindingChange: true,
        credentials: { username: "u", password: "p", style: "rfc3489" },
      }),
    );
    // A FINGERPRINT after MESSAGE-INTEGRITY is not signed (RFC 5389 §15.4).
    const extra = Buffer.concat([signed, Buffer.from([0x80, 0x28, 0, 4, 1, 2, 3, 4])]);
    extra.writeUInt16BE(extra.length - 20, 2);
    expect(verifyStunIntegrity(extra, { key: "p", style: "rfc3489" })).toBe(true);
    expect(verifyStunIntegrity(extra, { key: "q", style: "rfc3489" })).toBe(false);
    expect(verifyStunIntegrity(signed, { key: "p", style: "rfc3489" })).toBe(true);
  });

  it("§1.8: address values: family byte 1 (IPv4) or 2 (IPv6), port XOR'd with the cookie's high half, address with the ID", () => {
    const id = tid(9);
    const v4 = Buffer.from(
      encodeAddress({ family: "IPv4", address: "192.0.2.1", port: 32853 }, id, true),
    );
    // RFC 5769 §2.2: port 32853 ^ 0x2112 = 0xa147, 192.0.2.1 ^ 21 12 a4 42 = e1 12 a6 43.
    expect(v4.toString("hex")).toBe("0001a147e112a643");
    expect(
      Buffer.from(
        encodeAddress({ family: "IPv4", address: "192.0.2.1", port: 32853 }, id, false),
      ).toString("hex"),
    ).toBe("00018055c0000201");
    const v6 = Buffer.from(encodeAddress({ family: "IPv6", address: "::1", port: 1 }, id, false));
    expect(v6.toString("hex")).toBe(`00020001${"0".repeat(31)}1`);
    expect(decodeAddress(v6, id, false)).toEqual({
      family: "IPv6",
      address: "0:0:0:0:0:0:0:1",
      port: 1,
    });
    expect(
      decodeAddress(
        encodeAddress({ family: "IPv6", address: "fe80::1:2", port: 2 }, id, true),
        id,
        true,
      ),
    ).toEqual({ family: "IPv6", address: "fe80:0:0:0:0:0:1:2", port: 2 });
  });

  it("§1.8: malformed address values decode to nothing: too short, unknown family, wrong length", () => {
    const id = tid(10);
    expect(decodeAddress(new Uint8Array([0, 1, 0]), id, false)).toBeUndefined();
    // Too short to hold the family byte: no value, not an exception.
    expect(decodeAddress(new Uint8Array([0]), id, false)).toBeUndefined();
    expect(decodeAddress(new Uint8Array(20).fill(3, 1, 2), id, false)).toBeUndefined();
    expect(decodeAddress(new Uint8Array([0, 3, 0, 1, 1, 2, 3, 4]), id, false)).toBeUndefined();
    expect(decodeAddress(new Uint8Array([0, 1, 0, 1, 1, 2, 3]), id, false)).toBeUndefined();
    expect(decodeAddress(new Uint8Array([0, 2, 0, 1, 1, 2, 3, 4]), id, false)).toBeUndefined();
    expect(decodeAddress(new Uint8Array([0, 1, 0, 1, 1, 2, 3, 4]), id, false)).toEqual({
      family: "IPv4",
      address: "1.2.3.4",
      port: 1,
    });
  });

  it("§1.8: mappedAddress prefers XOR-MAPPED-ADDRESS with the cookie, else (no cookie, or a bad one) MAPPED-ADDRESS", () => {
    const a = { family: "IPv4" as const, address: "198.51.100.7", port: 4000 };
    const b = { family: "IPv4" as const, address: "203.0.113.8", port: 5000 };
    const withCookie = tid(11);
    expect(
      mappedAddress(
        response(withCookie, [
          { type: StunAttr.MappedAddress, value: encodeAddress(b, withCookie, false) },
          { type: StunAttr.XorMappedAddress, value: encodeAddress(a, withCookie, true) },
        ]),
      ),
    ).toEqual(a);
    const noCookie = tid(11, false);
    expect(
      mappedAddress(
        response(noCookie, [
          { type: StunAttr.XorMappedAddress, value: encodeAddress(a, noCookie, true) },
          { type: StunAttr.MappedAddress, value: encodeAddress(b, noCookie, false) },
        ]),
      ),
    ).toEqual(b);
    expect(
      mappedAddress(
        response(withCookie, [
          { type: StunAttr.XorMappedAddress, value: new Uint8Array([0, 9, 0, 0]) },
          { type: StunAttr.MappedAddress, value: encodeAddress(b, withCookie, false) },
        ]),
      ),
    ).toEqual(b);
    expect(mappedAddress(response(withCookie, []))).toBeUndefined();
  });

  it("§1.8: ERROR-CODE: class from the low 3 bits of byte 2, number from byte 3; too short is none", () => {
    const id = tid(12);
    const err = (value: Uint8Array) =>
      errorCode(response(id, [{ type: StunAttr.ErrorCode, value }]));
    expect(err(new Uint8Array([0, 0, 0xfc, 20, 0x41]))).toEqual({ code: 420, reason: "A" });
    expect(err(new Uint8Array([0, 0, 4]))).toBeUndefined();
    expect(err(new Uint8Array([0, 0, 4, 1]))).toEqual({ code: 401, reason: "" });
    expect(errorCode(response(id, []))).toBeUndefined();
    expect([...encodeErrorCode(438, "Stale")]).toEqual([0, 0, 4, 38, 83, 116, 97, 108, 101]);
  });

  it("§1.8: a new transaction ID is the magic cookie and 12 random bytes", () => {
    const id = newTransactionId((n) => new Uint8Array(n).fill(0xab));
    expect(Buffer.from(id).toString("hex")).toBe(`2112a442${"ab".repeat(12)}`);
  });

  it("§1.8: authority brackets IPv6 only", () => {
    expect(authority({ address: "::ffff:192.0.2.1", port: 9 })).toBe("[::ffff:192.0.2.1]:9");
    expect(authority({ address: "192.0.2.1", port: 9 })).toBe("192.0.2.1:9");
    // Neither address family (a host name): no brackets either.
    expect(authority({ address: "cpe.example", port: 9 })).toBe("cpe.example:9");
  });
});
