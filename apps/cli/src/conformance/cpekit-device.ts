/**
 * The device under test of `cpekit conformance`: a real cpekit agent (`makeAgent`) on the real
 * HTTP transport (`@cpekit/transport-http`: ACS client, Connection Request server on loopback,
 * file transfer, JSON file store) with the TR-181 Device:2 schema (cellular-module profile).
 * Reboot and FactoryReset are simulated by stopping the agent and starting it again on the same
 * store (emptied first for a factory reset), on the same Connection Request port and path.
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
  type DataModelSchema,
  DeviceActions,
  type DeviceActionsService,
  makeAgent,
} from "@cpekit/core";
import { loadDevice2Schema, profilePaths, selectProfile } from "@cpekit/datamodel-tr181";
import {
  AcsClient,
  activeUdpConnectionRequestAddress,
  ConnectionRequestServer,
  defaultStunSettings,
  followUdpBinding,
  HttpFileTransfer,
  JsonFileStore,
  mergeConnectionRequests,
  UDP_CONNECTION_REQUEST_PARAMETERS,
  UdpConnectionRequest,
  UdpLightweightNotificationSink,
} from "@cpekit/transport-http";
import { Effect, Exit, Layer, Ref, Scope } from "effect";
import { runtimeProvider } from "../device/runtime-provider.js";
import { makeDeviceSideValues } from "./device-side-values.js";

const root = "Device.";
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

/** Values the device owns and the suite may change "on the device" (notifications). */
const deviceSideInitial = {
  "Device.DeviceInfo.SoftwareVersion": "1.0.0",
  "Device.DeviceInfo.Description": "cpekit conformance device",
};

const schemaOf = (): Effect.Effect<DataModelSchema, DeviceUnderTestError> =>
  Effect.try({
    // The cellular-module profile plus the Annex G parameters: UDP Connection Requests (§1.8)
    // are on, on loopback, without STUN.
    try: () =>
      activeUdpConnectionRequestAddress(
        selectProfile(loadDevice2Schema(), [
          ...(profilePaths("cellular-module", "Device") ?? []),
          ...UDP_CONNECTION_REQUEST_PARAMETERS.map((n) => `Device.ManagementServer.${n}`),
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
      const crPath = `/${randomBytes(10).toString("hex")}`;
      const deviceScope = yield* Scope.make();
      const life = yield* Ref.make<Scope.CloseableScope | undefined>(undefined);
      const crPort = yield* Ref.make(0);
      const reboots = yield* Ref.make(0);
      const changer = yield* Ref.make<
        ((name: string, value: string) => Effect.Effect<void, unknown>) | undefined
      >(undefined);
      // One UDP Connection Request socket for all lives of the device, so its address is a
      // factory value: publishing it is then no value change (no extra session to disturb the
      // scenarios), as for the ConnectionRequestURL.
      const udp = yield* Scope.extend(
        UdpConnectionRequest.make({
          credentials,
          host: "127.0.0.1",
          stun: defaultStunSettings,
          acsHost: "127.0.0.1",
        }),
        deviceScope,
      ).pipe(
        Effect.mapError(startFailed),
        Effect.onError(() => Scope.close(deviceScope, Exit.void)),
      );
      const values: Record<string, string> = {
        "Device.ManagementServer.UDPConnectionRequestAddress": `127.0.0.1:${udp.local.port}`,
        "Device.ManagementServer.NATDetected": "false",
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
          const connectionRequests = yield* Scope.extend(mergeConnectionRequests(cr, [udp]), scope);
          const side = yield* makeDeviceSideValues({
            root,
            connectionRequestUrl: cr.url,
            initial: deviceSideInitial,
          });
          yield* Ref.set(changer, side.change);
          const layer = Layer.mergeAll(
            JsonFileStore.layer(options.storePath),
            AcsClient.layer({ requestTimeout: "10 seconds" }),
            HttpFileTransfer.layer(),
            UdpLightweightNotificationSink.layer(),
            Layer.succeed(ConnectionRequests, connectionRequests),
            Layer.succeed(DeviceActions, actions),
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
                providers: [side.provider, runtimeProvider(schema, Date.now())],
                initial: { values },
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
          yield* Scope.extend(
            Effect.forkScoped(
              followUdpBinding(udp.bindingChanges, agent, "Device.ManagementServer."),
            ),
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
        applyFirmware: () => Effect.void,
        applyConfig: () => Effect.void,
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
        reboots: Ref.get(reboots),
        // Pending power cycles are interrupted first, so none starts a life after the stop.
        stop: Effect.zipRight(Scope.close(deviceScope, Exit.void), endLife),
      } satisfies RunningDevice;
    }),
};
