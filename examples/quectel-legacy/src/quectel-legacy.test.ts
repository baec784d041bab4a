/**
 * Runs both agents of the example, the one carried over from Quectel's client and the one
 * written the cpekit way, against the acs-testkit ACS, and checks they answer alike.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deviceKeyOf, makeTestAcs, type TestAcsApi } from "@cpekit/acs-testkit";
import type { Agent, CwmpMessage, VendorMessage } from "@cpekit/core";
import { resolveRequestOptions } from "@cpekit/plugin-quecpython";
import { Effect, Either, Fiber, type Scope } from "effect";
import { describe, expect, it } from "vitest";
import { METHODS, startCpekitAgent } from "./cpekit-agent.js";
import { INCLODE, requestOptions, requestOptionsFor, startLegacyAgent } from "./legacy-agent.js";
import { connectionRequestCredentials, deviceId } from "./module-device.js";

const key = deviceKeyOf(deviceId);
const wait = { timeoutMs: 10_000 };

/** The two ways of starting the same agent, against `acsUrl` with a listener on 127.0.0.1. */
const agents = {
  legacy: (acsUrl: string, storePath: string) =>
    startLegacyAgent({
      requestOptions: requestOptionsFor(acsUrl, "127.0.0.1", 0),
      handlers: INCLODE,
      storePath,
    }),
  cpekit: (acsUrl: string, storePath: string) =>
    startCpekitAgent({ acsUrl, listen: { host: "127.0.0.1", port: 0 }, storePath }),
};

const world = (kind: keyof typeof agents) =>
  Effect.gen(function* () {
    const acs = yield* makeTestAcs();
    const dir = yield* Effect.acquireRelease(
      Effect.promise(() => mkdtemp(join(tmpdir(), "example-quectel-legacy-"))),
      (d) => Effect.promise(() => rm(d, { recursive: true, force: true })),
    );
    const agent = yield* agents[kind](acs.url, join(dir, "device.json"));
    const { inform } = yield* acs.nextInform({ deviceId: key, ...wait });
    const crUrl =
      inform.parameterList.find((p) => p.name.endsWith("ConnectionRequestURL"))?.value ?? "";
    return { acs, agent, crUrl };
  });

/** Sends `message` and wakes the device up, so the call goes out whatever the timing. */
const ask = (acs: TestAcsApi, agent: Agent, message: CwmpMessage) =>
  Effect.gen(function* () {
    const answer = yield* Effect.fork(acs.call(key, message, wait));
    yield* agent.connectionRequest;
    return yield* Fiber.join(answer);
  });

const run = <A, E>(body: Effect.Effect<A, E, Scope.Scope>): Promise<A> =>
  Effect.runPromise(Effect.scoped(body));

const signalRequest: VendorMessage = {
  _tag: "VendorMessage",
  name: "X_QUECTEL_Signal",
  element: {
    name: "cwmp:X_QUECTEL_Signal",
    namespace: "cwmp",
    localName: "X_QUECTEL_Signal",
    attributes: {},
    text: "",
    children: [{ name: "Unit", localName: "Unit", attributes: {}, text: "dBm", children: [] }],
  },
};

/** What the ACS can compare: names, attributes and text, without namespace details. */
const shapeOf = (m: CwmpMessage) =>
  m._tag === "VendorMessage"
    ? {
        name: m.name,
        children: m.element.children.map((c) => [c.localName, c.attributes, c.text]),
      }
    : m;

describe("example: Quectel's requestOptions and handler table", () => {
  it("Quectel's requestOptions object is accepted unchanged: its url, and server_ip/server_port as the listener", () => {
    const settled = resolveRequestOptions(requestOptions);
    expect(settled).toEqual(
      Either.right({
        acs: { url: "http://acs.example.net:9090/ACS-server/ACS/pawn06" },
        connectionRequest: { bindAddress: "0.0.0.0", port: 8001 },
      }),
    );
  });

  it("a requestOptions key that disagrees with its url stops the legacy agent before it starts, naming the key", async () => {
    const wrong = { ...requestOptionsFor("http://127.0.0.1:9/acs"), port: "8080" };
    const exit = await Effect.runPromise(
      Effect.scoped(
        Effect.either(
          startLegacyAgent({
            requestOptions: wrong,
            handlers: INCLODE,
            storePath: "/nonexistent/x.json",
          }),
        ),
      ),
    );
    expect(Either.isLeft(exit) && String(exit.left)).toMatch(/requestOptions\.port: "8080"/);
  });

  for (const kind of ["legacy", "cpekit"] as const) {
    describe(`the ${kind} agent`, () => {
      it("§1.4: GetRPCMethods lists the table's methods and GetRPCMethods; others answer 9000", () =>
        run(
          Effect.gen(function* () {
            const { acs, agent } = yield* world(kind);
            const methods = yield* ask(acs, agent, { _tag: "GetRPCMethods" });
            const list = methods._tag === "GetRPCMethodsResponse" ? methods.methodList : [];
            expect([...list].sort()).toEqual([...METHODS].sort());
            const reset = yield* ask(acs, agent, { _tag: "FactoryReset" });
            expect(reset._tag === "Fault" && reset.detail?.faultCode).toBe(9000);
          }),
        ));

      it("X_QUECTEL_Signal answers the RSRP with its unit and the RSRQ of the data model", () =>
        run(
          Effect.gen(function* () {
            const { acs, agent } = yield* world(kind);
            expect(shapeOf(yield* ask(acs, agent, signalRequest))).toEqual({
              name: "X_QUECTEL_SignalResponse",
              children: [
                ["RSRP", { unit: "dBm" }, "-95"],
                ["RSRQ", {}, "-11"],
              ],
            });
          }),
        ));

      it("§1.7: a Digest connection request on the listener starts a 6 CONNECTION REQUEST session", () =>
        run(
          Effect.gen(function* () {
            const { acs, crUrl } = yield* world(kind);
            expect(crUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
            const { username, password } = connectionRequestCredentials;
            expect(yield* acs.connectionRequest(crUrl, username, password)).toBe(200);
            const { inform } = yield* acs.nextInform({ deviceId: key, ...wait });
            expect(inform.event.map((e) => e.eventCode)).toContain("6 CONNECTION REQUEST");
          }),
        ));
    });
  }
});
