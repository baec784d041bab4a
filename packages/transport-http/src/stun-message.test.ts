import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  annexGBindingRequest,
  authority,
  CONNECTION_REQUEST_BINDING_VALUE,
  decodeAddress,
  decodeStunMessage,
  encodeAddress,
  encodeErrorCode,
  encodeStunMessage,
  errorCode,
  findAttribute,
  looksLikeStun,
  MAGIC_COOKIE,
  mappedAddress,
  StunAttr,
  StunDecodeError,
  StunType,
  verifyStunIntegrity,
} from "./stun-message.js";

const hex = (s: string) => new Uint8Array(Buffer.from(s, "hex"));
// RFC 5769 §2.1 and §2.2 test vectors (password "VOkJxbRl1RmTxUk/WvJxBt").
const RFC5769_REQUEST = hex(
  "000100582112a442b7e7a701bc34d686fa87dfae802200105354554e207465737420636c69656e74002400046e0001ff80290008932ff9b151263b36000600096576746a3a68367659202020000800149aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a280280004e57a3bcf",
);
const RFC5769_IPV4_RESPONSE = hex(
  "0101003c2112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563746f7220002000080001a147e112a643000800142b91f599fd9e90c38c7489f92af9ba53f06be7d780280004c07d4c96",
);
const RFC5769_PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt";
const tid = (fill: number) => {
  const id = Buffer.alloc(16, fill);
  id.writeUInt32BE(MAGIC_COOKIE, 0);
  return new Uint8Array(id);
};

describe("STUN messages (§1.8, RFC 3489/5389 as Annex G uses them)", () => {
  it("§1.8: decodes the RFC 5769 IPv4 response: XOR-MAPPED-ADDRESS 192.0.2.1:32853, integrity verifies", () => {
    const m = decodeStunMessage(RFC5769_IPV4_RESPONSE);
    expect(m.type).toBe(StunType.BindingResponse);
    expect(mappedAddress(m)).toEqual({ family: "IPv4", address: "192.0.2.1", port: 32853 });
    expect(
      verifyStunIntegrity(RFC5769_IPV4_RESPONSE, { key: RFC5769_PASSWORD, style: "rfc5389" }),
    ).toBe(true);
    expect(verifyStunIntegrity(RFC5769_IPV4_RESPONSE, { key: "wrong", style: "rfc5389" })).toBe(
      false,
    );
  });

  it("§1.8: verifies the RFC 5769 request's integrity (attributes after it, space padding) and reads USERNAME", () => {
    const m = decodeStunMessage(RFC5769_REQUEST);
    expect(Buffer.from(findAttribute(m, StunAttr.Username)?.value ?? []).toString()).toBe(
      "evtj:h6vY",
    );
    expect(verifyStunIntegrity(RFC5769_REQUEST, { key: RFC5769_PASSWORD, style: "rfc5389" })).toBe(
      true,
    );
  });

  it("§1.8: an Annex G Binding Request carries CONNECTION-REQUEST-BINDING 'dslforum.org/TR-111 ' and no BINDING-CHANGE", () => {
    const bytes = annexGBindingRequest({ transactionId: tid(1), bindingChange: false });
    const m = decodeStunMessage(bytes);
    expect(m.type).toBe(StunType.BindingRequest);
    const crb = findAttribute(m, StunAttr.ConnectionRequestBinding);
    expect(crb?.value.length).toBe(20);
    expect(Buffer.from(crb?.value ?? []).toString("ascii")).toBe(CONNECTION_REQUEST_BINDING_VALUE);
    expect(findAttribute(m, StunAttr.BindingChange)).toBeUndefined();
    expect(findAttribute(m, StunAttr.MessageIntegrity)).toBeUndefined();
    // On the wire: type C001, length 0x0014.
    expect(Buffer.from(bytes).subarray(20, 24).toString("hex")).toBe("c0010014");
  });

  it("§1.8: BINDING-CHANGE is an empty C002 attribute next to CONNECTION-REQUEST-BINDING", () => {
    const bytes = annexGBindingRequest({ transactionId: tid(2), bindingChange: true });
    const m = decodeStunMessage(bytes);
    expect(findAttribute(m, StunAttr.BindingChange)?.value.length).toBe(0);
    expect(findAttribute(m, StunAttr.ConnectionRequestBinding)).toBeDefined();
    expect(Buffer.from(bytes).toString("hex")).toContain("c0020000");
  });

  it("§1.8: a signed request has USERNAME and MESSAGE-INTEGRITY last; RFC 3489 and 5389 integrity differ and each verifies only its own way", () => {
    const credentials = { username: "cpe-stun", password: "s3cret" };
    const r3489 = annexGBindingRequest({
      transactionId: tid(3),
      bindingChange: false,
      credentials: { ...credentials, style: "rfc3489" },
    });
    const r5389 = annexGBindingRequest({
      transactionId: tid(3),
      bindingChange: false,
      credentials: { ...credentials, style: "rfc5389" },
    });
    const m = decodeStunMessage(r3489);
    expect(Buffer.from(findAttribute(m, StunAttr.Username)?.value ?? []).toString()).toBe(
      "cpe-stun",
    );
    expect(m.attributes.at(-1)?.type).toBe(StunAttr.MessageIntegrity);
    expect(verifyStunIntegrity(r3489, { key: "s3cret", style: "rfc3489" })).toBe(true);
    expect(verifyStunIntegrity(r5389, { key: "s3cret", style: "rfc5389" })).toBe(true);
    expect(verifyStunIntegrity(r3489, { key: "s3cret", style: "rfc5389" })).toBe(false);
    expect(verifyStunIntegrity(r3489, { key: "other", style: "rfc3489" })).toBe(false);
  });

  test.prop([fc.integer({ min: 20, max: 40 }), fc.integer({ min: 0, max: 255 })])(
    "§1.8: flipping any one bit of a signed request before its HMAC makes the integrity check fail",
    (byteIndex, bit) => {
      const bytes = annexGBindingRequest({
        transactionId: tid(4),
        bindingChange: true,
        credentials: { username: "u", password: "p", style: "rfc3489" },
      });
      const copy = new Uint8Array(bytes);
      const at = byteIndex % (bytes.length - 20);
      copy[at] = (copy[at] as number) ^ (1 << (bit % 8));
      expect(verifyStunIntegrity(copy, { key: "p", style: "rfc3489" })).toBe(false);
    },
  );

  test.prop([
    fc.ipV4(),
    fc.integer({ min: 0, max: 65535 }),
    fc.uint8Array({ minLength: 16, maxLength: 16 }),
    fc.boolean(),
  ])("§1.8: an IPv4 (XOR-)MAPPED-ADDRESS decodes to what was encoded", (address, port, id, xor) => {
    const a = { family: "IPv4" as const, address, port };
    expect(decodeAddress(encodeAddress(a, id, xor), id, xor)).toEqual(a);
  });

  it("§1.8: reads MAPPED-ADDRESS from a classic RFC 3489 answer and IPv6 XOR-MAPPED-ADDRESS", () => {
    const id = tid(5);
    const v6 = { family: "IPv6" as const, address: "2001:db8:0:0:0:0:0:1", port: 7547 };
    const classic = decodeStunMessage(
      encodeStunMessage({
        type: StunType.BindingResponse,
        transactionId: id,
        attributes: [
          {
            type: StunAttr.MappedAddress,
            value: encodeAddress(
              { family: "IPv4", address: "203.0.113.9", port: 40000 },
              id,
              false,
            ),
          },
        ],
      }),
    );
    expect(mappedAddress(classic)).toEqual({ family: "IPv4", address: "203.0.113.9", port: 40000 });
    const modern = decodeStunMessage(
      encodeStunMessage({
        type: StunType.BindingResponse,
        transactionId: id,
        attributes: [{ type: StunAttr.XorMappedAddress, value: encodeAddress(v6, id, true) }],
      }),
    );
    expect(mappedAddress(modern)).toEqual(v6);
    expect(authority({ address: "2001:db8::1", port: 1 })).toBe("[2001:db8::1]:1");
    expect(authority({ address: "198.51.100.2", port: 3478 })).toBe("198.51.100.2:3478");
  });

  it("§1.8: reads ERROR-CODE 401", () => {
    const m = decodeStunMessage(
      encodeStunMessage({
        type: StunType.BindingErrorResponse,
        transactionId: tid(6),
        attributes: [{ type: StunAttr.ErrorCode, value: encodeErrorCode(401, "Unauthorized") }],
      }),
    );
    expect(errorCode(m)).toEqual({ code: 401, reason: "Unauthorized" });
  });

  it("§1.8: refuses short, misaligned and overrunning messages with StunDecodeError; a GET is not STUN", () => {
    expect(() => decodeStunMessage(new Uint8Array(19))).toThrow(StunDecodeError);
    const bad = Buffer.from(annexGBindingRequest({ transactionId: tid(7), bindingChange: false }));
    bad.writeUInt16BE(bad.readUInt16BE(2) + 4, 2);
    expect(() => decodeStunMessage(bad)).toThrow(/length/);
    const overrun = Buffer.from(
      annexGBindingRequest({ transactionId: tid(7), bindingChange: false }),
    );
    overrun.writeUInt16BE(200, 22);
    expect(() => decodeStunMessage(overrun)).toThrow(/overruns/);
    expect(looksLikeStun(Buffer.from("GET http://x?ts=1 HTTP/1.1\r\n\r\n"))).toBe(false);
    expect(
      looksLikeStun(annexGBindingRequest({ transactionId: tid(8), bindingChange: false })),
    ).toBe(true);
  });

  test.prop([fc.uint8Array({ maxLength: 120 })])(
    "§1.8: arbitrary bytes either decode or fail with StunDecodeError, never anything else",
    (bytes) => {
      try {
        decodeStunMessage(bytes);
      } catch (e) {
        expect(e).toBeInstanceOf(StunDecodeError);
      }
    },
  );
});
