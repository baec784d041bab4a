/**
 * The device under test of `cpekit conformance`: a real cpekit agent (`makeAgent`) on the real
 * HTTP transport (`@cpekit/transport-http`: ACS client, Connection Request server on loopback,
 * file transfer, JSON file store) with the TR-181 Device:2 schema (cellular-module profile).
 * Reboot and FactoryReset are simulated by stopping the agent and starting it again on the same
 * store (emptied first for a factory reset), on the same Connection Request port and path.
 *
 * Besides HTTP it takes Connection Requests over UDP (Annex G, STUN off until the ACS sets
 * STUNEnable and a server) and over XMPP (Annex K, `Device.XMPP.Connection.1`, disabled until the
 * ACS sets its account and server): the sources outlive the agent's lives, read their settings
 * from each life's data model and apply what the ACS set after the session that set it.
 * @module
 */
import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import {
  type DeviceUnderTest,
  DeviceUnderTestError,
  type RunningDevice,
} from "@cpekit/acs-testkit";
import {
  ConnectionRequests,
  type CpeRequests,
  type DataModelSchema,
  DeviceActionError,
  DeviceActions,
  type DeviceActionsService,
  Diagnostics,
  makeAgent,
  SoftwareModules,
} from "@cpekit/core";
import { loadDevice2Schema, profilePaths, selectProfile } from "@cpekit/datamodel-tr181";
import {
  AcsClient,
  activeUdpConnectionRequestAddress,
  ConnectionRequestServer,
  defaultStunSettings,
  defaultXmppSettings,
  followJabberId,
  followUdpBinding,
  HttpFileTransfer,
  JsonFileStore,
  makeStunSettingsSource,
  makeXmppSettingsSource,
  mergeConnectionRequests,
  UDP_CONNECTION_REQUEST_PARAMETERS,
  UdpConnectionRequest,
  UdpLightweightNotificationSink,
  XmppConnectionRequest,
  xmppStatusProvider,
} from "@cpekit/transport-http";
import { Effect, Exit, Layer, Ref, Scope } from "effect";
import { applyAfterEachSession } from "../device/apply-after-each-session.js";
import { genericSoftwareModulesOf } from "../device/generic-software-modules-of.js";
import { runtimeProvider } from "../device/runtime-provider.js";
import { xmppImpliedValues, xmppSchemaPaths } from "../device/xmpp-connection-request-spec.js";
import { hostDiagnostics } from "../diagnostics/host-diagnostics.js";
import { requestThroughAgent } from "./cpe-request-trigger.js";
import { makeDeviceSideValues } from "./device-side-values.js";
import { signFirmware, verifyFirmware } from "./signed-firmware.js";

const root = "Device.";
const ms = `${root}ManagementServer.`;
const oui = "00CAFE";
const productClass = "Conformance";

/** The factory values of every simulated device (the scenario's settings override them). */
const factoryValues = (
  serial: string,
  acsUrl: string,
  cr: { username: string; password: string },
) => ({
  "Device.RootDataModelVersion": "2.17",
  "Device.DeviceInfo.Manufacturer": "cpekit",
  "Device.DeviceInfo.ManufacturerOUI": oui,
  "Device.DeviceInfo.ModelName": "conformance",
  "Device.DeviceInfo.ProductClass": productClass,
  "Device.DeviceInfo.SerialNumber": serial,
  "Device.DeviceInfo.HardwareVersion": "1.0",
  "Device.ManagementServer.URL": acsUrl,
  "Device.ManagementServer.ConnectionRequestUsername": cr.username,
  "Device.ManagementServer.ConnectionRequestPassword": cr.password,
  // No periodic Inform unless a scenario asks: it would interleave with scripted sessions.
  "Device.ManagementServer.PeriodicInformEnable": "false",
});

/**
 * The factory XMPP connection: disabled, with an empty account and one server row, so that the
 * ACS configures it with SetParameterValues (the XMPP scenarios start their own server).
 */
const xmppFactoryValues = (): Record<string, string> => ({
  ...xmppImpliedValues("Device", {
    settings: { ...defaultXmppSettings, resource: "cwmp" },
    allowedJabberIds: [],
    rejectUnauthorized: true,
  }),
  "Device.XMPP.Connection.1.Enable": "false",
  "Device.XMPP.Connection.1.ServerConnectAlgorithm": "ServerTable",
  "Device.XMPP.Connection.1.Server.1.Enable": "true",
  "Device.XMPP.Connection.1.Server.1.ServerAddress": "",
  "Device.XMPP.Connection.1.Server.1.Port": String(defaultXmppSettings.serverPort),
});

/** Values the device owns and the suite may change "on the device" (notifications). */
const deviceSideInitial = {
  "Device.DeviceInfo.SoftwareVersion": "1.0.0",
  "Device.DeviceInfo.Description": "cpekit conformance device",
};

const schemaOf = (): Effect.Effect<DataModelSchema, DeviceUnderTestError> =>
  Effect.try({
    // The cellular-module profile plus the Annex G parameters (UDP Connection Requests, §1.8,
    // on loopback, STUN off until the ACS turns it on) and the Annex K ones (XMPP, §1.9).
    try: () =>
      activeUdpConnectionRequestAddress(
        selectProfile(loadDevice2Schema(), [
          ...(profilePaths("cellular-module", "Device") ?? []),
          ...UDP_CONNECTION_REQUEST_PARAMETERS.map((n) => `${ms}${n}`),
          ...xmppSchemaPaths("Device"),
          // TR-181 IP diagnostics (§1.12), run on this host by the generic device's tests.
          "Device.IP.Diagnostics.IPPing.",
          "Device.IP.Diagnostics.TraceRoute.",
          "Device.IP.Diagnostics.DownloadDiagnostics.",
          "Device.IP.Diagnostics.UploadDiagnostics.",
        ]),
      ),
    catch: (cause) =>
      new DeviceUnderTestError({
        reason: "StartFailed",
        detail: `schema: ${String(cause)}`,
        cause,
      }),
  });

const startFailed = (e: { readonly message: string }) =>
  new DeviceUnderTestError({ reason: "StartFailed", detail: e.message, cause: e });

/** The cpekit agent as a {@link DeviceUnderTest}. */
export const cpekitDevice: DeviceUnderTest = {
  name: "cpekit agent (makeAgent + transport-http), TR-181 Device:2.17 cellular-module profile",
  start: (options) =>
    Effect.gen(function* () {
      const schema = yield* schemaOf();
      const serial = randomBytes(4).toString("hex").toUpperCase();
      const credentials = { username: `cr-${serial}`, password: randomBytes(8).toString("hex") };
      const firmwareKey = randomBytes(32);
      const crPath = `/${randomBytes(10).toString("hex")}`;
      const deviceScope = yield* Scope.make();
      const life = yield* Ref.make<Scope.CloseableScope | undefined>(undefined);
      const crPort = yield* Ref.make(0);
      const reboots = yield* Ref.make(0);
      const breaker = yield* Ref.make<
        ((name: string, broken: boolean) => Effect.Effect<void>) | undefined
      >(undefined);
      const changer = yield* Ref.make<
        ((name: string, value: string) => Effect.Effect<void, unknown>) | undefined
      >(undefined);
      // The CPE-request API of the living agent (the suite's requestFromCpe goes through it).
      const cpeRequests = yield* Ref.make<CpeRequests | undefined>(undefined);
      // One UDP Connection Request socket for all lives of the device, so its address is a
      // factory value: publishing it is then no value change (no extra session to disturb the
      // scenarios), as for the ConnectionRequestURL. STUN follows the ManagementServer.STUN*
      // values of the living agent.
      const stun = yield* makeStunSettingsSource(defaultStunSettings, options.acsUrl);
      const udp = yield* Scope.extend(
        UdpConnectionRequest.make({
          credentials,
          host: "127.0.0.1",
          stun: stun.settings,
          acsHost: stun.acsHost,
        }),
        deviceScope,
      ).pipe(
        Effect.mapError(startFailed),
        Effect.onError(() => Scope.close(deviceScope, Exit.void)),
      );
      // The XMPP stream, likewise for all lives, follows Device.XMPP.Connection.1.
      const xmppSettings = yield* makeXmppSettingsSource(
        { ...defaultXmppSettings, resource: "cwmp" },
        [],
      );
      const xmpp = yield* Scope.extend(
        XmppConnectionRequest.make({
          credentials,
          settings: xmppSettings.settings,
          allowedJabberIds: xmppSettings.allowedJabberIds,
        }),
        deviceScope,
      );
      const softwareModules = yield* genericSoftwareModulesOf(options).pipe(
        Effect.mapError(startFailed),
        Effect.onError(() => Scope.close(deviceScope, Exit.void)),
      );
      const values: Record<string, string> = {
        "Device.ManagementServer.UDPConnectionRequestAddress": `127.0.0.1:${udp.local.port}`,
        "Device.ManagementServer.NATDetected": "false",
        ...xmppFactoryValues(),
        ...factoryValues(serial, options.acsUrl, credentials),
        ...options.settings,
      };

      const endLife = Effect.flatMap(Ref.getAndSet(life, undefined), (s) =>
        s === undefined ? Effect.void : Scope.close(s, Exit.void),
      );

      // One life of the device: CR server, transport, store and agent, in their own scope.
      // Interruptible whatever the caller's region: the agent's fibers inherit it, and an
      // uninterruptible agent could never be stopped.
      const startLife: Effect.Effect<void, DeviceUnderTestError> = Effect.interruptible(
        Effect.gen(function* () {
          const scope = yield* Scope.make();
          yield* Ref.set(life, scope);
          const cr = yield* Scope.extend(
            ConnectionRequestServer.make({
              credentials,
              host: "127.0.0.1",
              port: yield* Ref.get(crPort),
              path: crPath,
            }),
            scope,
          ).pipe(Effect.mapError(startFailed));
          const port = Number(new URL(cr.url).port);
          yield* Ref.set(crPort, port);
          const connectionRequests = yield* Scope.extend(
            mergeConnectionRequests(cr, [udp, xmpp]),
            scope,
          );
          const side = yield* makeDeviceSideValues({
            root,
            connectionRequestUrl: cr.url,
            initial: deviceSideInitial,
          });
          yield* Ref.set(changer, side.change);
          yield* Ref.set(breaker, side.setBroken);
          const layer = Layer.mergeAll(
            // Annex H: the generic device's packages, kept beside the store (all lives).
            Layer.succeed(SoftwareModules, softwareModules),
            JsonFileStore.layer(options.storePath),
            AcsClient.layer({ requestTimeout: "10 seconds" }),
            HttpFileTransfer.layer(),
            UdpLightweightNotificationSink.layer(),
            Layer.succeed(ConnectionRequests, connectionRequests),
            Layer.succeed(DeviceActions, actions),
            Layer.succeed(Diagnostics, hostDiagnostics()),
          );
          const agent = yield* Scope.extend(
            makeAgent({
              deviceId: { manufacturer: "cpekit", oui, productClass, serialNumber: serial },
              acs: {
                url: options.acsUrl,
                username: values["Device.ManagementServer.Username"] ?? "",
                password: values["Device.ManagementServer.Password"] ?? "",
              },
              dataModel: {
                schema,
                providers: [
                  side.provider,
                  runtimeProvider(schema, Date.now()),
                  xmppStatusProvider(xmpp, "Device", "Device.XMPP.Connection.1."),
                ],
                initial: {
                  values,
                  instances: {
                    "Device.XMPP.Connection.": [1],
                    "Device.XMPP.Connection.1.Server.": [1],
                  },
                },
              },
              transfers: {
                uploadFile: (fileType) =>
                  Effect.succeed({
                    bytes: new TextEncoder().encode(
                      `<config serial="${serial}" type="${fileType}"/>`,
                    ),
                    contentType: "text/xml",
                  }),
              },
            }).pipe(Effect.provide(layer)),
            scope,
          ).pipe(Effect.mapError(startFailed));
          yield* Ref.set(cpeRequests, agent.cpeRequests);
          yield* Scope.extend(
            Effect.gen(function* () {
              yield* stun.bind(agent.dataModel, ms);
              yield* Effect.forkScoped(followUdpBinding(udp.bindingChanges, agent, ms));
              yield* applyAfterEachSession(agent, udp.applySettings);
              yield* xmppSettings.bind(agent.dataModel, ms);
              yield* Effect.forkScoped(followJabberId(xmpp.jabberIdChanges, agent, ms));
              yield* applyAfterEachSession(agent, xmpp.applySettings);
            }),
            scope,
          );
        }),
      );

      // Runs outside the agent that asked for it: the agent's own scope is closed by it.
      const powerCycle = (wipe: boolean) =>
        Effect.gen(function* () {
          yield* Ref.update(reboots, (n) => n + 1);
          yield* endLife;
          if (wipe) yield* Effect.promise(() => rm(options.storePath, { force: true }));
          yield* Effect.ignore(startLife);
        });
      const actions: DeviceActionsService = {
        reboot: Effect.asVoid(Effect.forkIn(powerCycle(false), deviceScope)),
        factoryReset: Effect.asVoid(Effect.forkIn(powerCycle(true), deviceScope)),
        // Firmware signed by the device's maker only (§1.14-9019).
        applyFirmware: (file) => verifyFirmware(firmwareKey, file.bytes),
        // The simulated device has no web server: web content is denied (§1.14-9001).
        applyConfig: (file) =>
          file.fileType === "2 Web Content"
            ? Effect.fail(
                new DeviceActionError({
                  reason: "Unsupported",
                  faultCode: 9001,
                  detail: "this device serves no web content",
                }),
              )
            : Effect.void,
      };

      yield* Effect.onError(startLife, () => Scope.close(deviceScope, Exit.void));
      const url = `http://127.0.0.1:${yield* Ref.get(crPort)}${crPath}`;
      return {
        deviceId: `${oui}-${productClass}-${serial}`,
        connectionRequestUrl: url,
        connectionRequestCredentials: credentials,
        root,
        restart: Effect.zipRight(endLife, startLife).pipe(
          Effect.mapError(
            (e) =>
              new DeviceUnderTestError({ reason: "RestartFailed", detail: e.detail, cause: e }),
          ),
        ),
        changeValue: (name, value) =>
          Effect.flatMap(Ref.get(changer), (change) =>
            change === undefined
              ? Effect.fail(new DeviceUnderTestError({ reason: "Failed", detail: "device is off" }))
              : Effect.mapError(
                  change(name, value),
                  (cause) =>
                    new DeviceUnderTestError({ reason: "Failed", detail: String(cause), cause }),
                ),
          ),
        changeableParameters: Object.keys(deviceSideInitial),
        breakDeviceSource: (name, broken) =>
          Effect.flatMap(Ref.get(breaker), (set) =>
            set === undefined
              ? Effect.fail(new DeviceUnderTestError({ reason: "Failed", detail: "device is off" }))
              : set(name, broken),
          ),
        requestFromCpe: (request) =>
          Effect.flatMap(Ref.get(cpeRequests), (api) =>
            api === undefined
              ? Effect.fail(new DeviceUnderTestError({ reason: "Failed", detail: "device is off" }))
              : requestThroughAgent(api, request),
          ),
        installSoftwareLocally: (bytes) =>
          Effect.asVoid(
            Effect.mapError(
              softwareModules.installLocally(bytes, "local"),
              (cause) =>
                new DeviceUnderTestError({ reason: "Failed", detail: cause.message, cause }),
            ),
          ),
        signFirmware: (image) => signFirmware(firmwareKey, image),
        reboots: Ref.get(reboots),
        // Pending power cycles are interrupted first, so none starts a life after the stop.
        stop: Effect.zipRight(Scope.close(deviceScope, Exit.void), endLife),
      } satisfies RunningDevice;
    }),
};
