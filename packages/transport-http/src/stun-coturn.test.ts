import { type Coturn, coturnUnavailable, serversRequired, startCoturn } from "@cpekit/acs-testkit";
import { Effect, Option, Schedule } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultStunSettings } from "./stun-settings.js";
import * as UdpConnectionRequest from "./udp-connection-request.js";

const unavailable = coturnUnavailable();
const skip = unavailable !== undefined && !serversRequired();
if (skip) console.warn(`skipping the coturn STUN tests: ${unavailable}`);

describe.skipIf(skip)("STUN client against a real coturn on 127.0.0.1 (§1.8)", () => {
  let coturn: Coturn | undefined;
  beforeAll(async () => {
    if (unavailable === undefined) coturn = await startCoturn();
  }, 20_000);
  afterAll(async () => {
    await coturn?.stop();
  });

  it("§1.8: the binding the agent reports (UDPConnectionRequestAddress, NATDetected false on loopback) is the client address coturn logged for its Annex G Binding Request", async () => {
    if (unavailable !== undefined) throw new Error(`CPEKIT_REQUIRE_SERVERS=1 but ${unavailable}`);
    const server = coturn as Coturn;
    const { binding, port } = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const udp = yield* UdpConnectionRequest.make({
            credentials: { username: "cpe", password: "pw" },
            host: "127.0.0.1",
            acsHost: "127.0.0.1",
            interfaces: { lo: [{ address: "127.0.0.1", family: "IPv4", internal: true }] },
            stun: {
              ...defaultStunSettings,
              enable: true,
              serverAddress: server.host,
              serverPort: server.port,
              minKeepAliveSeconds: 30,
              maxKeepAliveSeconds: 60,
            },
          });
          const b = yield* udp.binding.pipe(
            Effect.flatMap((o) =>
              Option.isSome(o) && o.value.viaStun ? Effect.succeed(o.value) : Effect.fail("none"),
            ),
            Effect.retry(Schedule.spaced("20 millis").pipe(Schedule.upTo("10 seconds"))),
          );
          return { binding: b, port: udp.local.port };
        }),
      ),
    );
    expect(binding).toEqual({ address: `127.0.0.1:${port}`, natDetected: false, viaStun: true });
    // coturn writes its log lines asynchronously: read it until the line is there (bounded).
    let seen: readonly string[] = [];
    for (let i = 0; i < 50 && !seen.includes(binding.address); i++) {
      seen = await server.clientsSeen();
      if (!seen.includes(binding.address)) await new Promise((r) => setTimeout(r, 100));
    }
    expect(seen).toContain(binding.address);
  });
});
