import { Effect, Exit } from "effect";
import { afterEach, describe, expect, it } from "vitest";
import { scenarioServer } from "./scenario-servers.js";

const saved = process.env.CPEKIT_REQUIRE_SERVERS;
afterEach(() => {
  if (saved === undefined) delete process.env.CPEKIT_REQUIRE_SERVERS;
  else process.env.CPEKIT_REQUIRE_SERVERS = saved;
});

const failureOf = <A, E>(exit: Exit.Exit<A, E>) =>
  Exit.isFailure(exit) && exit.cause._tag === "Fail" ? exit.cause.error : undefined;

describe("servers a conformance scenario starts (§1.8-STUN, §1.9)", () => {
  it("§1.8-STUN/§1.9: a missing binary skips the scenario with the reason, starting nothing", async () => {
    delete process.env.CPEKIT_REQUIRE_SERVERS;
    let started = 0;
    const exit = await Effect.runPromiseExit(
      Effect.scoped(
        scenarioServer(
          "coturn (STUN)",
          () => "no turnserver on PATH",
          async () => {
            started++;
            return { stop: async () => undefined };
          },
        ),
      ),
    );
    expect(failureOf(exit)).toMatchObject({
      _tag: "ScenarioSkipped",
      reason: "coturn (STUN) is not available: no turnserver on PATH",
    });
    expect(started).toBe(0);
  });

  it("§1.8-STUN/§1.9: under CPEKIT_REQUIRE_SERVERS=1 a missing binary fails the scenario", async () => {
    process.env.CPEKIT_REQUIRE_SERVERS = "1";
    const exit = await Effect.runPromiseExit(
      Effect.scoped(
        scenarioServer(
          "Prosody (XMPP)",
          () => "no prosody on PATH",
          async () => ({ stop: async () => undefined }),
        ),
      ),
    );
    expect(failureOf(exit)).toMatchObject({
      _tag: "ScenarioFailed",
      reason: "CPEKIT_REQUIRE_SERVERS=1 but no prosody on PATH",
    });
  });

  it("§1.8-STUN/§1.9: a server that fails to start fails the scenario; a started one is stopped with the scope", async () => {
    delete process.env.CPEKIT_REQUIRE_SERVERS;
    const broken = await Effect.runPromiseExit(
      Effect.scoped(
        scenarioServer(
          "Prosody (XMPP)",
          () => undefined,
          () => Promise.reject(new Error("port taken")),
        ),
      ),
    );
    expect(failureOf(broken)).toMatchObject({
      _tag: "ScenarioFailed",
      reason: "Prosody (XMPP) did not start: port taken",
    });
    const log: string[] = [];
    await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const s = yield* scenarioServer(
            "coturn (STUN)",
            () => undefined,
            async () => ({ port: 3478, stop: async () => void log.push("stopped") }),
          );
          log.push(`using ${s.port}`);
        }),
      ),
    );
    expect(log).toEqual(["using 3478", "stopped"]);
  });
});
