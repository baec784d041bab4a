import { decodeEnvelope, encodeEnvelope, type SoapHeader } from "@cpekit/core";
import { fc, it as fcit } from "@fast-check/vitest";
import { Effect, Either } from "effect";
import { describe, expect, it } from "vitest";
import { corruptBody } from "./cwmp-reply.js";
import { sniffEnvelope } from "./envelope-sniff.js";
import { InjectionBook } from "./fault-injection.js";
import { Inbox } from "./inbox.js";
import { startTestAcs } from "./start-test-acs.js";
import { informOf, TinyCpe } from "./test-support/tiny-cpe.js";

const versions = fc.constantFrom("1.0", "1.1", "1.2", "1.3", "1.4" as const);
const headers: fc.Arbitrary<SoapHeader> = fc.record(
  {
    id: fc.string({ maxLength: 20 }),
    holdRequests: fc.boolean(),
    sessionTimeout: fc.nat({ max: 3600 }),
    supportedCwmpVersions: fc.constantFrom("1.0,1.1", "1.0,1.2,1.4"),
  },
  { requiredKeys: [] },
);
const messages = fc.constantFrom("Inform", "TransferComplete", "GetRPCMethods", "empty" as const);
const devices = fc.constantFrom("d1", "d2");

describe("properties", () => {
  fcit.prop([versions, headers])(
    "V2: sniffEnvelope finds the namespace and exactly the header entries the codec wrote",
    (version, header) => {
      const xml = encodeEnvelope({ header, body: informOf(), version });
      const sniff = sniffEnvelope(xml);
      expect(sniff.cwmpNamespace).toBe(
        version === "1.0"
          ? "urn:dslforum-org:cwmp-1-0"
          : version === "1.1"
            ? "urn:dslforum-org:cwmp-1-1"
            : "urn:dslforum-org:cwmp-1-2",
      );
      const expected = {
        id: "ID",
        holdRequests: "HoldRequests",
        sessionTimeout: "SessionTimeout",
        supportedCwmpVersions: "SupportedCWMPVersions",
      };
      expect(Object.keys(sniff.headerEntries).sort()).toEqual(
        Object.keys(header)
          .map((k) => expected[k as keyof typeof expected])
          .sort(),
      );
    },
  );

  fcit.prop([
    fc.nat({ max: 4 }),
    fc.array(fc.tuple(devices, messages), { maxLength: 12 }),
    fc.option(devices),
    fc.option(messages),
  ])(
    "a fault booked n times applies to exactly the first n matching requests and to no other",
    (times, requests, deviceId, message) => {
      const book = new InjectionBook();
      book.book(
        { kind: "delay", ms: 1 },
        {
          times,
          ...(deviceId === null ? {} : { deviceId }),
          ...(message === null ? {} : { message }),
        },
      );
      let matched = 0;
      for (const [d, m] of requests) {
        const matches =
          (deviceId === null || d === deviceId) && (message === null || m === message);
        const got = book.takeForRequest({ deviceId: d, message: m, isCpeRequest: m !== "empty" });
        const expectApplied = matches && matched < times;
        expect(got.length).toBe(expectApplied ? 1 : 0);
        if (expectApplied) matched++;
      }
    },
  );

  fcit.prop([fc.array(fc.oneof(fc.constant("take" as const), fc.integer()), { maxLength: 30 })])(
    "an Inbox hands every pushed item to exactly one taker, in push order",
    async (ops) => {
      const inbox = new Inbox<number>();
      const takes: Promise<number>[] = [];
      const pushed: number[] = [];
      for (const op of ops) {
        if (op === "take") takes.push(Effect.runPromise(inbox.take()));
        else {
          inbox.push(op);
          pushed.push(op);
        }
      }
      const served = Math.min(takes.length, pushed.length);
      const got = await Promise.all(takes.slice(0, served));
      expect(got).toEqual(pushed.slice(0, served));
      expect(inbox.pending()).toEqual(pushed.slice(served));
    },
  );

  fcit.prop([versions, headers, fc.nat({ max: 2000 })])(
    "truncatedXml keeps a strict prefix of the envelope, malformedXml never decodes",
    (version, header, keep) => {
      const xml = encodeEnvelope({
        header,
        body: { _tag: "InformResponse", maxEnvelopes: 1 },
        version,
      });
      const cut = corruptBody(xml, [
        { kind: "truncatedXml", keepBytes: Math.min(keep, Buffer.byteLength(xml) - 1) },
      ]);
      expect(xml.startsWith(cut) && cut.length < xml.length).toBe(true);
      expect(Either.isLeft(decodeEnvelope(corruptBody(xml, [{ kind: "malformedXml" }])))).toBe(
        true,
      );
    },
  );

  it("any POST body gets an HTTP answer and the ACS keeps serving sessions", async () => {
    const acs = await startTestAcs({ sessionTimeoutMs: 1_000 });
    const cpe = new TinyCpe(acs.url);
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(fc.string({ maxLength: 200 }), fc.constant("<soap:Envelope/>")),
          async (body) => {
            const r = await cpe.post(body.trim() === "" ? "<x/>" : body, { sendCookie: false });
            expect(r.status).toBe(400);
          },
        ),
        { numRuns: 30 },
      );
      expect((await cpe.post(informOf())).status).toBe(200);
    } finally {
      await cpe.close();
      await acs.stop();
    }
  });
});
