/**
 * A cpekit agent woken by UDP Connection Requests (TR-069 Annex G, requirement section 1.8)
 * over real loopback sockets: the test ACS, the HTTP Connection Request server and the UDP
 * socket merged into one `ConnectionRequests`, the STUN client asking an in-test STUN server,
 * the binding published in the agent's data model.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  makeTestAcs,
  signUdpConnectionRequest,
  udpConnectionRequestText,
} from "@cpekit/acs-testkit";
import {
  ConnectionRequests,
  DeviceActions,
  makeAgent,
  makeConnectionRequestCredentialsSource,
} from "@cpekit/core";
import { loadDevice2Schema, profilePaths, selectProfile } from "@cpekit/datamodel-tr181";
import { Effect, Either, Layer } from "effect";
import { describe, expect, it } from "vitest";
import * as AcsClient from "../acs-client.js";
import * as ConnectionRequestServer from "../connection-request-server.js";
import * as HttpFileTransfer from "../file-transfer.js";
import * as JsonFileStore from "../json-file-store.js";
import { mergeConnectionRequests } from "../merged-connection-requests.js";
import { defaultStunSettings, makeStunSettingsSource } from "../stun-settings.js";
import { startStunResponder } from "../test-support/stun-responder.js";
import { sendDatagram } from "../test-support/udp-connection-request-sender.js";
import {
  activeUdpConnectionRequestAddress,
  followUdpBinding,
  UDP_CONNECTION_REQUEST_PARAMETERS,
} from "../udp-binding-publication.js";
import * as UdpConnectionRequest from "../udp-connection-request.js";

const MS = "Device.ManagementServer.";
const deviceKey = "A1B2C3-CellModule-UDP-1";
const WAIT = { deviceId: deviceKey, timeoutMs: 5_000 } as const;
const schema = activeUdpConnectionRequestAddress(
  selectProfile(loadDevice2Schema(), [
    ...(profilePaths("cellular-module", "Device") ?? []),
    ...UDP_CONNECTION_REQUEST_PARAMETERS.map((n) => `${MS}${n}`),
  ]),
);

const codes = (r: { readonly inform: { readonly event: readonly { eventCode: string }[] } }) =>
  r.inform.event.map((e) => e.eventCode);
const valueIn = (
  r: { readonly inform: { readonly parameterList: readonly { name: string; value: string }[] } },
  name: string,
) => r.inform.parameterList.find((p) => p.name === name)?.value;

describe("agent woken over UDP with STUN (§1.8) on loopback", () => {
  it("§1.8: the STUN binding reaches the ACS as an active notification (4 VALUE CHANGE, also when it changes); a UDP Connection Request sent 3× gives one session with 6 CONNECTION REQUEST", async () => {
    let mappedPort = 40001;
    const responder = await startStunResponder({
      mapped: () => ({ family: "IPv4", address: "203.0.113.5", port: mappedPort }),
    });
    try {
      await Effect.runPromise(
        Effect.scoped(
          Effect.gen(function* () {
            const acs = yield* makeTestAcs({ sessionTimeoutMs: 10_000 });
            const dir = yield* Effect.acquireRelease(
              Effect.promise(() => mkdtemp(join(tmpdir(), "cpekit-udp-e2e-"))),
              (d) => Effect.promise(() => rm(d, { recursive: true, force: true })),
            );
            const credentials = yield* makeConnectionRequestCredentialsSource({
              username: "cr-user",
              password: "cr-pass",
            });
            const stun = yield* makeStunSettingsSource(
              {
                ...defaultStunSettings,
                enable: true,
                serverAddress: "127.0.0.1",
                serverPort: responder.port,
                minKeepAliveSeconds: 30,
                maxKeepAliveSeconds: 60,
              },
              acs.url,
            );
            const http = yield* ConnectionRequestServer.make({
              credentials: credentials.credentials,
              host: "127.0.0.1",
            });
            const udp = yield* UdpConnectionRequest.make({
              credentials: credentials.credentials,
              host: "127.0.0.1",
              stun: stun.settings,
              acsHost: stun.acsHost,
              interfaces: { lo: [{ address: "127.0.0.1", family: "IPv4", internal: true }] },
            });
            const merged = yield* mergeConnectionRequests(http, [udp]);
            const agent = yield* makeAgent({
              deviceId: {
                manufacturer: "cpekit",
                oui: "A1B2C3",
                productClass: "CellModule",
                serialNumber: "UDP-1",
              },
              acs: { url: acs.url },
              dataModel: {
                schema,
                initial: {
                  values: {
                    "Device.DeviceInfo.SoftwareVersion": "1.0",
                    [`${MS}PeriodicInformEnable`]: "false",
                    [`${MS}ConnectionRequestUsername`]: "cr-user",
                    [`${MS}ConnectionRequestPassword`]: "cr-pass",
                    // The profile's STUN settings, as the CLI seeds them.
                    [`${MS}STUNEnable`]: "true",
                    [`${MS}STUNServerAddress`]: "127.0.0.1",
                    [`${MS}STUNServerPort`]: String(responder.port),
                    [`${MS}STUNMinimumKeepAlivePeriod`]: "30",
                    [`${MS}STUNMaximumKeepAlivePeriod`]: "60",
                  },
                },
              },
              connectionRequestCredentials: credentials,
            }).pipe(
              Effect.provide(
                Layer.mergeAll(
                  JsonFileStore.layer(join(dir, "device.json")),
                  AcsClient.layer({ requestTimeout: "5 seconds" }),
                  HttpFileTransfer.layer(),
                  Layer.succeed(ConnectionRequests, merged),
                  Layer.succeed(DeviceActions, {
                    reboot: Effect.void,
                    factoryReset: Effect.void,
                    applyFirmware: () => Effect.void,
                    applyConfig: () => Effect.void,
                  }),
                ),
              ),
            );
            yield* stun.bind(agent.dataModel, MS);
            yield* Effect.forkScoped(followUdpBinding(udp.bindingChanges, agent, MS));

            // The binding may be learned before or after the boot Inform: either way an Inform
            // with 4 VALUE CHANGE carries it.
            const informs = [yield* acs.nextInform(WAIT)];
            expect(codes(informs[0]!)).toContain("1 BOOT");
            while (
              valueIn(informs.at(-1)!, `${MS}UDPConnectionRequestAddress`) !== "203.0.113.5:40001"
            )
              informs.push(yield* acs.nextInform(WAIT));
            expect(codes(informs.at(-1)!)).toContain("4 VALUE CHANGE");
            for (const _ of informs) yield* acs.nextSession(WAIT);

            mappedPort = 40002;
            yield* udp.refresh;
            const changed = yield* acs.nextInform(WAIT);
            expect(codes(changed)).toEqual(["4 VALUE CHANGE"]);
            expect(valueIn(changed, `${MS}UDPConnectionRequestAddress`)).toBe("203.0.113.5:40002");
            yield* acs.nextSession(WAIT);
            const [value] = yield* agent.dataModel.getParameterValues([`${MS}NATDetected`]);
            expect(value?.value).toBe("true");

            const text = udpConnectionRequestText(
              { host: "203.0.113.5", port: 40002 },
              signUdpConnectionRequest("cr-user", "cr-pass", Math.floor(Date.now() / 1000)),
            );
            yield* Effect.promise(() => sendDatagram(udp.local.port, text, 3));
            const woken = yield* acs.nextInform(WAIT);
            expect(codes(woken)).toEqual(["6 CONNECTION REQUEST"]);
            yield* acs.nextSession(WAIT);
            const again = yield* Effect.either(
              acs.nextInform({ deviceId: deviceKey, timeoutMs: 500 }),
            );
            expect(Either.isLeft(again)).toBe(true);
          }),
        ).pipe(
          Effect.timeoutFail({ duration: "20 seconds", onTimeout: () => new Error("timed out") }),
        ),
      );
    } finally {
      await responder.close();
    }
  }, 30_000);
});
