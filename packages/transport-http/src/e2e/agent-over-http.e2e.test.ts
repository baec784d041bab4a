import type { CwmpMessage, ParameterValueStruct } from "@cpekit/core";
import { Effect, Either, Exit, Ref, Scope } from "effect";
import { describe, expect, it } from "vitest";
import {
  crPassword,
  crUser,
  type E2eWorld,
  type E2eWorldOptions,
  e2eDeviceKey,
  makeE2eWorld,
} from "./e2e-device.js";

const MS = "Device.ManagementServer.";
const WAIT = { deviceId: e2eDeviceKey, timeoutMs: 5_000 } as const;

/** Runs a test in a fresh world, bounded to 10 s; the world (ACS, servers, agent) closes after. */
const inWorld = (
  body: (world: E2eWorld) => Effect.Effect<void, unknown>,
  options?: E2eWorldOptions,
) =>
  Effect.runPromise(
    Effect.scoped(Effect.flatMap(makeE2eWorld(options), body)).pipe(
      Effect.timeoutFail({
        duration: "10 seconds",
        onTimeout: () => new Error("e2e test timed out"),
      }),
    ),
  );

const codes = (inform: {
  readonly inform: { readonly event: readonly { eventCode: string; commandKey: string }[] };
}) =>
  inform.inform.event.map((e) =>
    e.commandKey === "" ? e.eventCode : `${e.eventCode}|${e.commandKey}`,
  );

const valueIn = (list: readonly ParameterValueStruct[], name: string) =>
  list.find((p) => p.name === name)?.value;

/** Boots the agent and waits for its boot session to end. */
const boot = (world: E2eWorld) =>
  Effect.gen(function* () {
    const life = yield* world.startAgent;
    const inform = yield* world.acs.nextInform(WAIT);
    const session = yield* world.acs.nextSession(WAIT);
    return { ...life, inform, session };
  });

/** No Inform arrives within `ms`. */
const noInformWithin = (world: E2eWorld, ms: number) =>
  Effect.map(
    Effect.either(world.acs.nextInform({ deviceId: e2eDeviceKey, timeoutMs: ms })),
    (r) => Either.isLeft(r) && r.left.reason === "Timeout",
  );

describe("agent over real loopback HTTP with the test ACS", () => {
  it("§1.5 the first boot informs 0 BOOTSTRAP + 1 BOOT with the forced-inform parameters, the ConnectionRequestURL of the server among them", () =>
    inWorld((world) =>
      Effect.gen(function* () {
        const { inform, session } = yield* boot(world);
        expect(codes(inform)).toEqual(["0 BOOTSTRAP", "1 BOOT"]);
        const list = inform.inform.parameterList;
        expect(valueIn(list, "Device.DeviceInfo.HardwareVersion")).toBe("hw-e2e");
        expect(valueIn(list, "Device.DeviceInfo.SoftwareVersion")).toBe("1.2.3");
        expect(valueIn(list, "Device.DeviceInfo.ProvisioningCode")).toBe("");
        expect(valueIn(list, `${MS}ParameterKey`)).toBe("");
        expect(valueIn(list, `${MS}ConnectionRequestURL`)).toBe(world.connectionRequests.url);
        expect(world.connectionRequests.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[0-9a-f]{20}$/);
        expect(session.outcome).toBe("completed");
        expect(session.violations).toEqual([]);
      }),
    ));

  it("C3 C4 a Digest connection request gets 200 and one session informing 6 CONNECTION REQUEST", () =>
    inWorld((world) =>
      Effect.gen(function* () {
        yield* boot(world);
        const status = yield* world.acs.connectionRequest(
          world.connectionRequests.url,
          crUser,
          crPassword,
        );
        expect(status).toBe(200);
        expect(codes(yield* world.acs.nextInform(WAIT))).toEqual(["6 CONNECTION REQUEST"]);
        expect((yield* world.acs.nextSession(WAIT)).violations).toEqual([]);
        expect(yield* noInformWithin(world, 500)).toBe(true);
      }),
    ));

  it("C5 several connection requests before the session they trigger give one session", () =>
    inWorld((world) =>
      Effect.gen(function* () {
        // The boot session is held open (its empty POST answered late) while the requests
        // arrive: they coalesce into one trigger, raised when the boot session ends.
        world.acs.inject(
          { kind: "delay", ms: 1_500 },
          { message: "empty", deviceId: e2eDeviceKey },
        );
        yield* world.startAgent;
        const bootInform = yield* world.acs.nextInform(WAIT);
        expect(codes(bootInform)).toEqual(["0 BOOTSTRAP", "1 BOOT"]);
        const statuses = yield* Effect.all(
          Array.from({ length: 3 }, () =>
            world.acs.connectionRequest(world.connectionRequests.url, crUser, crPassword),
          ),
          { concurrency: "unbounded" },
        );
        expect(statuses).toEqual([200, 200, 200]);
        expect((yield* world.acs.nextSession(WAIT)).inform.inform.event).toHaveLength(2);
        expect(codes(yield* world.acs.nextInform(WAIT))).toEqual(["6 CONNECTION REQUEST"]);
        yield* world.acs.nextSession(WAIT);
        expect(yield* noInformWithin(world, 500)).toBe(true);
      }),
    ));

  it("C2 a connection request with a wrong password gets 401 and starts no session", () =>
    inWorld((world) =>
      Effect.gen(function* () {
        yield* boot(world);
        const status = yield* world.acs.connectionRequest(
          world.connectionRequests.url,
          crUser,
          "wrong",
        );
        expect(status).toBe(401);
        expect(yield* noInformWithin(world, 800)).toBe(true);
      }),
    ));

  it("§1.12 C2 SetParameterValues and GetParameterValues through the real stack; new ConnectionRequest credentials apply to the next request", () =>
    inWorld((world) =>
      Effect.gen(function* () {
        yield* boot(world);
        const spv = yield* Effect.fork(
          world.acs.call(e2eDeviceKey, {
            _tag: "SetParameterValues",
            parameterList: [
              { name: "Device.DeviceInfo.ProvisioningCode", value: "e2e-pc", type: "string" },
              { name: `${MS}ConnectionRequestUsername`, value: "acs-user", type: "string" },
              { name: `${MS}ConnectionRequestPassword`, value: "acs-pass", type: "string" },
            ],
            parameterKey: "pk-1",
          }),
        );
        const gpv = yield* Effect.fork(
          world.acs.call(e2eDeviceKey, {
            _tag: "GetParameterValues",
            parameterNames: [
              "Device.DeviceInfo.ProvisioningCode",
              `${MS}ParameterKey`,
              `${MS}ConnectionRequestPassword`,
            ],
          }),
        );
        expect(
          yield* world.acs.connectionRequest(world.connectionRequests.url, crUser, crPassword),
        ).toBe(200);
        expect(yield* spv.await.pipe(Effect.flatten)).toEqual({
          _tag: "SetParameterValuesResponse",
          status: 0,
        });
        const got = (yield* gpv.await.pipe(Effect.flatten)) as CwmpMessage;
        expect(got._tag).toBe("GetParameterValuesResponse");
        const list = (got as { parameterList: readonly ParameterValueStruct[] }).parameterList;
        expect(valueIn(list, "Device.DeviceInfo.ProvisioningCode")).toBe("e2e-pc");
        expect(valueIn(list, `${MS}ParameterKey`)).toBe("pk-1");
        // A password is never read back.
        expect(valueIn(list, `${MS}ConnectionRequestPassword`)).toBe("");
        yield* world.acs.nextSession(WAIT);
        const url = world.connectionRequests.url;
        expect(yield* world.acs.connectionRequest(url, crUser, crPassword)).toBe(401);
        expect(yield* world.acs.connectionRequest(url, "acs-user", "acs-pass")).toBe(200);
        expect(codes(yield* world.acs.nextInform(WAIT))).toEqual(["6 CONNECTION REQUEST"]);
      }),
    ));

  it("§1.13 a Download served by the test ACS is installed and reported with 7 TRANSFER COMPLETE + M Download and a TransferComplete", () =>
    inWorld((world) =>
      Effect.gen(function* () {
        yield* boot(world);
        const image = new TextEncoder().encode("firmware image v2");
        const url = yield* world.acs.serveFile("/fw.bin", image);
        const answer = yield* Effect.fork(
          world.acs.call(e2eDeviceKey, {
            _tag: "Download",
            commandKey: "fw-1",
            fileType: "1 Firmware Upgrade Image",
            url,
            username: "",
            password: "",
            fileSize: image.length,
            targetFileName: "",
            delaySeconds: 0,
            successUrl: "",
            failureUrl: "",
          }),
        );
        expect(
          yield* world.acs.connectionRequest(world.connectionRequests.url, crUser, crPassword),
        ).toBe(200);
        expect(codes(yield* world.acs.nextInform(WAIT))).toEqual(["6 CONNECTION REQUEST"]);
        expect(yield* answer.await.pipe(Effect.flatten)).toMatchObject({
          _tag: "DownloadResponse",
        });
        yield* world.acs.nextSession(WAIT);
        const inform = yield* world.acs.nextInform(WAIT);
        expect(codes(inform)).toEqual(["7 TRANSFER COMPLETE", "M Download|fw-1"]);
        const tc = yield* world.acs.nextCpeRequest({ ...WAIT, method: "TransferComplete" });
        expect(tc.message).toMatchObject({
          _tag: "TransferComplete",
          commandKey: "fw-1",
          faultStruct: { faultCode: 0 },
        });
        const installed = yield* Ref.get(world.installed);
        expect(installed.map((f) => new TextDecoder().decode(f.bytes))).toEqual([
          "firmware image v2",
        ]);
        expect((yield* world.acs.nextSession(WAIT)).violations).toEqual([]);
      }),
    ));

  it("§1.5 a Reboot stops the agent; restarted over the same store it informs 1 BOOT + M Reboot with the CommandKey", () =>
    inWorld((world) =>
      Effect.gen(function* () {
        const first = yield* boot(world);
        const answer = yield* Effect.fork(
          world.acs.call(e2eDeviceKey, { _tag: "Reboot", commandKey: "rb-e2e" }),
        );
        expect(
          yield* world.acs.connectionRequest(world.connectionRequests.url, crUser, crPassword),
        ).toBe(200);
        expect(codes(yield* world.acs.nextInform(WAIT))).toEqual(["6 CONNECTION REQUEST"]);
        expect(yield* answer.await.pipe(Effect.flatten)).toEqual({ _tag: "RebootResponse" });
        expect(yield* first.agent.stopped).toBe("reboot");
        yield* world.acs.nextSession(WAIT);
        yield* Scope.close(first.scope, Exit.void);
        yield* world.startAgent;
        const inform = yield* world.acs.nextInform(WAIT);
        // Same Connection Request server, same URL: no value change besides the reboot.
        expect(codes(inform)).toEqual(["1 BOOT", "M Reboot|rb-e2e"]);
        expect((yield* world.acs.nextSession(WAIT)).violations).toEqual([]);
      }),
    ));

  it("A1 §1.5 ManagementServer.Username/Password in the data model take precedence over the configured ACS credentials", () =>
    inWorld(
      (world) =>
        Effect.gen(function* () {
          const { inform, session } = yield* boot(world);
          expect(codes(inform)).toEqual(["0 BOOTSTRAP", "1 BOOT"]);
          expect(session.outcome).toBe("completed");
        }),
      {
        acsAuth: { scheme: "digest", username: "acs-user", password: "acs-pass" },
        acsCredentials: { username: "configured", password: "wrong" },
        values: { [`${MS}Username`]: "acs-user", [`${MS}Password`]: "acs-pass" },
      },
    ));
});
