import { type AcsTransportService, encodeEnvelope, TransportError } from "@cpekit/core";
import { Effect } from "effect";
import { describe, expect, it } from "vitest";
import { observeTransport, type TrafficEvent } from "./observed-transport.js";

const informResponse = encodeEnvelope({
  header: { id: "1" },
  body: { _tag: "InformResponse", maxEnvelopes: 1 },
  version: "1.4",
});
const inform = encodeEnvelope({
  header: { id: "1" },
  body: {
    _tag: "Inform",
    deviceId: { manufacturer: "m", oui: "00CAFE", productClass: "p", serialNumber: "s" },
    event: [{ eventCode: "1 BOOT", commandKey: "" }],
    maxEnvelopes: 1,
    currentTime: "2026-01-01T00:00:00Z",
    retryCount: 0,
    parameterList: [],
  },
  version: "1.4",
});

/** Answers InformResponse to a body, the end of session to the empty POST, fails on "boom". */
const fake: AcsTransportService = {
  open: () =>
    Effect.succeed({
      url: Effect.succeed("http://127.0.0.1:1/acs"),
      post: (body) =>
        body === "boom"
          ? Effect.fail(new TransportError({ reason: "ConnectionLost", detail: "reset" }))
          : Effect.succeed({
              status: body === null ? 204 : 200,
              headers: {},
              body: body === null ? "" : informResponse,
            }),
    }),
};

describe("observeTransport", () => {
  it("reports each session (numbered) and each exchange with its messages, then passes answers through unchanged", async () => {
    const events: TrafficEvent[] = [];
    const t = observeTransport(fake, (e) => events.push(e));
    const session = (bodies: readonly (string | null)[]) =>
      Effect.scoped(
        Effect.flatMap(t.open({ url: "http://127.0.0.1:1/acs" }), (c) =>
          Effect.forEach(bodies, (b) => Effect.either(c.post(b))),
        ),
      );
    const answers = await Effect.runPromise(session([inform, null]));
    expect(answers.map((a) => a._tag === "Right" && a.right.status)).toEqual([200, 204]);
    await Effect.runPromise(session(["boom"]));
    expect(
      events.map((e) =>
        e.type === "exchange"
          ? `${e.session} ${e.sent} -> ${e.received}`
          : e.type === "exchangeFailed"
            ? `${e.session} ${e.sent} failed ${e.error.reason}`
            : `${e.session} ${e.type}`,
      ),
    ).toEqual([
      "1 sessionOpened",
      "1 Inform [1 BOOT] -> InformResponse",
      "1 empty POST -> empty (end of session)",
      "1 sessionClosed",
      "2 sessionOpened",
      // The codec's own words for the bad body are its business.
      expect.stringMatching(/^2 undecodable \(.+\) failed ConnectionLost$/),
      "2 sessionClosed",
    ]);
  });

  it("observes the transport's plain POST (postNow) the same way, and offers none when the transport has none", async () => {
    const plain: AcsTransportService = {
      open: (endpoint) =>
        Effect.map(fake.open(endpoint), (c) => ({
          ...c,
          postNow: (body, settle) =>
            Effect.runPromise(Effect.either(c.post(body))).then((r) =>
              r._tag === "Right" ? settle.done(r.right) : settle.fail(r.left),
            ),
        })),
    };
    const events: TrafficEvent[] = [];
    const t = observeTransport(plain, (e) => events.push(e));
    const answers = await Effect.runPromise(
      Effect.scoped(
        Effect.flatMap(t.open({ url: "http://127.0.0.1:1/acs" }), (c) =>
          Effect.promise(() =>
            Promise.all(
              [inform, "boom"].map(
                (b) =>
                  new Promise((resolve) =>
                    c.postNow?.(b, { done: (r) => resolve(r.status), fail: resolve }),
                  ),
              ),
            ),
          ),
        ),
      ),
    );
    expect(answers[0]).toBe(200);
    expect(answers[1]).toBeInstanceOf(TransportError);
    expect(events.map((e) => `${e.type}${e.type === "exchange" ? ` ${e.received}` : ""}`)).toEqual([
      "sessionOpened",
      "exchange InformResponse",
      "exchangeFailed",
      "sessionClosed",
    ]);
    const none = await Effect.runPromise(
      Effect.scoped(
        Effect.map(
          observeTransport(fake, () => {}).open({ url: "http://127.0.0.1:1/acs" }),
          (c) => c.postNow,
        ),
      ),
    );
    expect(none).toBeUndefined();
  });
});
