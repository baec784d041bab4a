import { decodeEnvelope, type TransportError } from "@cpekit/core";
import { Effect, Either } from "effect";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestAcs, type TestAcsHandle } from "./start-test-acs.js";
import { deviceOf, envelopeXml, informOf } from "./test-support/tiny-cpe.js";

let acs: TestAcsHandle;
beforeEach(async () => {
  acs = await startTestAcs({ sessionTimeoutMs: 2_000 });
});
afterEach(async () => {
  await acs.stop();
});

const bodyTag = (xml: string) =>
  Either.match(decodeEnvelope(xml), {
    onLeft: (e) => `undecodable: ${e.message}`,
    onRight: ({ envelope }) => envelope.body._tag,
  });

describe("the in-process transport to the test ACS", () => {
  it("H1 H2 H3 H6 a session without sockets: InformResponse, the queued call after the empty POST, 204; the cookie keeps it one session", async () => {
    const answer = acs.call(deviceOf(), { _tag: "GetRPCMethods" });
    const statuses = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const c = yield* acs.api.inProcessTransport.open({ url: acs.url });
          const inform = yield* c.post(envelopeXml(informOf()));
          expect(bodyTag(inform.body)).toBe("InformResponse");
          const rpc = yield* c.post(null);
          expect(bodyTag(rpc.body)).toBe("GetRPCMethods");
          const id = Either.getOrThrow(decodeEnvelope(rpc.body)).envelope.header.id;
          const end = yield* c.post(
            envelopeXml({ _tag: "GetRPCMethodsResponse", methodList: ["Inform"] }, { id }),
          );
          return [inform.status, rpc.status, end.status];
        }),
      ),
    );
    expect(statuses).toEqual([200, 200, 204]);
    await expect(answer).resolves.toEqual({
      _tag: "GetRPCMethodsResponse",
      methodList: ["Inform"],
    });
    const session = await acs.nextSession({ timeoutMs: 1_000 });
    expect(session).toMatchObject({ outcome: "completed", httpRequests: 3, violations: [] });
  });

  it("an injected 503 fails the POST as HttpStatus with its Retry-After, a dropped connection as ConnectionLost", async () => {
    acs.inject({ kind: "serviceUnavailable", retryAfterSeconds: 42 });
    const post = (body: string) =>
      Effect.runPromise(
        Effect.flip(
          Effect.scoped(
            Effect.flatMap(acs.api.inProcessTransport.open({ url: acs.url }), (c) => c.post(body)),
          ),
        ),
      );
    const busy: TransportError = await post(envelopeXml(informOf()));
    expect(busy).toMatchObject({ reason: "HttpStatus", status: 503, retryAfter: 42 });
    acs.inject({ kind: "drop" });
    expect((await post(envelopeXml(informOf()))).reason).toBe("ConnectionLost");
  });
});
