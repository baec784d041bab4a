/**
 * Runs the vendor-RPC example against the acs-testkit ACS: the agent informs, the ACS sends
 * X_ACME_Ping and other methods, and the answers are checked on the wire.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deviceKeyOf, makeTestAcs, type TestAcsApi } from "@cpekit/acs-testkit";
import type { Agent, CwmpMessage } from "@cpekit/core";
import { Effect, Fiber, type Scope } from "effect";
import { describe, expect, it } from "vitest";
import { MAX_PAYLOAD_LENGTH, PING_METHOD, pingRequest } from "./ping-handler.js";
import {
  ALLOWED_METHODS,
  deviceId,
  disablePing,
  enablePing,
  startVendorRpcAgent,
} from "./vendor-rpc-agent.js";

const key = deviceKeyOf(deviceId);
const wait = { timeoutMs: 10_000 };

/** The ACS, and the agent started against it with a store in a temporary folder. */
const world = (allMethods = false) =>
  Effect.gen(function* () {
    const acs = yield* makeTestAcs();
    const dir = yield* Effect.acquireRelease(
      Effect.promise(() => mkdtemp(join(tmpdir(), "example-vendor-rpc-"))),
      (d) => Effect.promise(() => rm(d, { recursive: true, force: true })),
    );
    const agent = yield* startVendorRpcAgent({
      acsUrl: acs.url,
      storePath: join(dir, "device.json"),
      allMethods,
    });
    yield* acs.nextInform({ deviceId: key, ...wait });
    return { acs, agent };
  });

/**
 * Sends `message` to the device and wakes it up as a connection request would, so the call
 * goes out in the next session (or the one under way) whatever the timing.
 */
const ask = (acs: TestAcsApi, agent: Agent, message: CwmpMessage) =>
  Effect.gen(function* () {
    const answer = yield* Effect.fork(acs.call(key, message, wait));
    yield* agent.connectionRequest;
    return yield* Fiber.join(answer);
  });

const run = <A, E>(body: Effect.Effect<A, E, Scope.Scope>): Promise<A> =>
  Effect.runPromise(Effect.scoped(body));

/** The CWMP fault code of a `Fault` answer (undefined for any other answer). */
const faultCodeOf = (m: CwmpMessage) => (m._tag === "Fault" ? m.detail?.faultCode : undefined);

describe("example: vendor RPC and allow-list", () => {
  it("§1.4: X_ACME_Ping answers its payload and the SoftwareVersion of the data model", () =>
    run(
      Effect.gen(function* () {
        const { acs, agent } = yield* world();
        const answer = yield* ask(acs, agent, pingRequest("hello <acs> & co"));
        expect(answer).toMatchObject({ _tag: "VendorMessage", name: `${PING_METHOD}Response` });
        const children = answer._tag === "VendorMessage" ? answer.element.children : [];
        expect(children.map((c) => [c.localName, c.text])).toEqual([
          ["Payload", "hello <acs> & co"],
          ["SoftwareVersion", "1.0.0"],
        ]);
      }),
    ));

  it("§1.14-9003: a Ping without a Payload, or with one too long, is refused with 9003", () =>
    run(
      Effect.gen(function* () {
        const { acs, agent } = yield* world();
        const empty = pingRequest("");
        const noPayload = { ...empty, element: { ...empty.element, children: [] } };
        expect(faultCodeOf(yield* ask(acs, agent, noPayload))).toBe(9003);
        const long = pingRequest("x".repeat(MAX_PAYLOAD_LENGTH + 1));
        expect(faultCodeOf(yield* ask(acs, agent, long))).toBe(9003);
      }),
    ));

  it("§1.4: GetRPCMethods lists exactly the allow-list; a method left out is answered 9000", () =>
    run(
      Effect.gen(function* () {
        const { acs, agent } = yield* world();
        const methods = yield* ask(acs, agent, { _tag: "GetRPCMethods" });
        const list = methods._tag === "GetRPCMethodsResponse" ? methods.methodList : [];
        expect([...list].sort()).toEqual([...ALLOWED_METHODS].sort());
        const set = yield* ask(acs, agent, {
          _tag: "SetParameterValues",
          parameterList: [
            { name: "Device.DeviceInfo.ProvisioningCode", value: "X", type: "xsd:string" },
          ],
          parameterKey: "k1",
        });
        expect(faultCodeOf(set)).toBe(9000);
        const reboot = yield* ask(acs, agent, { _tag: "Reboot", commandKey: "r1" });
        expect(faultCodeOf(reboot)).toBe(9000);
      }),
    ));

  it("§1.14-9000: unregistered, X_ACME_Ping is answered 9000 and left out of GetRPCMethods; registered again, it answers", () =>
    run(
      Effect.gen(function* () {
        const { acs, agent } = yield* world();
        expect(disablePing(agent)).toBe(true);
        expect(faultCodeOf(yield* ask(acs, agent, pingRequest("a")))).toBe(9000);
        const methods = yield* ask(acs, agent, { _tag: "GetRPCMethods" });
        expect(methods._tag === "GetRPCMethodsResponse" && methods.methodList).not.toContain(
          PING_METHOD,
        );
        enablePing(agent);
        const again = yield* ask(acs, agent, pingRequest("b"));
        expect(again._tag).toBe("VendorMessage");
      }),
    ));

  it("§1.4: without the allow-list every built-in method stays, with X_ACME_Ping added", () =>
    run(
      Effect.gen(function* () {
        const { acs, agent } = yield* world(true);
        const methods = yield* ask(acs, agent, { _tag: "GetRPCMethods" });
        const list = methods._tag === "GetRPCMethodsResponse" ? methods.methodList : [];
        for (const m of ["SetParameterValues", "Reboot", "Download", PING_METHOD])
          expect(list).toContain(m);
      }),
    ));
});
