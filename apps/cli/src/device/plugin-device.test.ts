import { Effect, Either } from "effect";
import { describe, expect, it } from "vitest";
import { decodeProfile } from "../profile/load-profile.js";
import { deviceSpecOf } from "./device-spec.js";
import { openPluginDevice } from "./plugin-device.js";

const file = "/srv/profiles/device.yaml";
const specOf = (profile: string) =>
  Either.getOrThrow(
    Either.flatMap(
      decodeProfile(
        {
          acs: { url: "http://127.0.0.1:7547/acs" },
          device: { manufacturer: "cpekit", oui: "00CAFE", productClass: "P", serialNumber: "S1" },
          dataModel: { root: "Device", profile },
          connectionRequest: { address: "127.0.0.1", port: 0, username: "u", password: "p" },
          store: "state/device.json",
        },
        file,
      ),
      (loaded) => deviceSpecOf(loaded, file),
    ),
  );

describe("the generic device", () => {
  it("§1.12-Diagnostics runs the IP diagnostics on the host, and its home-gateway profile has their objects", async () => {
    const spec = specOf("home-gateway");
    for (const o of ["IPPing.", "TraceRoute.", "DownloadDiagnostics.", "UploadDiagnostics."])
      expect(spec.schema.objects.has(`Device.IP.Diagnostics.${o}`), o).toBe(true);
    const device = await Effect.runPromise(Effect.scoped(openPluginDevice(spec, () => {})));
    expect(device.diagnostics).toBeDefined();
    const r = await Effect.runPromise(
      Effect.either(
        device.diagnostics?.ipPing(
          {
            interface: "",
            protocolVersion: "Any",
            dscp: 0,
            host: "nowhere.invalid",
            numberOfRepetitions: 1,
            timeoutMs: 100,
            dataBlockSize: 56,
          },
          new AbortController().signal,
        ) ?? Effect.die("no diagnostics"),
      ),
    );
    expect(Either.isLeft(r) && r.left.state).toBe("Error_CannotResolveHostName");
  });
});

describe("the quecpython device", () => {
  it("§1.12-Diagnostics pings from the module (uping through the bridge) and manages QuecPython apps (SoftwareModules)", async () => {
    const spec = Either.getOrThrow(
      Either.flatMap(
        decodeProfile(
          {
            acs: { url: "http://127.0.0.1:7547/acs" },
            device: { manufacturer: "Quectel", oui: "00CAFE", productClass: "" },
            dataModel: { root: "Device", profile: "cellular-module" },
            connectionRequest: { address: "127.0.0.1", port: 0, username: "u", password: "p" },
            store: "state/device.json",
            plugin: { name: "quecpython", options: { simulate: true } },
          },
          file,
        ),
        (loaded) => deviceSpecOf(loaded, file),
      ),
    );
    const { ping, inventory } = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const device = yield* openPluginDevice(spec, () => {});
          const diagnostics = device.diagnostics;
          const modules = device.softwareModules;
          if (diagnostics === undefined || modules === undefined)
            return yield* Effect.die("the quecpython device lacks a port");
          const ping = yield* diagnostics.ipPing(
            {
              interface: "",
              protocolVersion: "Any",
              dscp: 0,
              host: "127.0.0.1",
              numberOfRepetitions: 2,
              timeoutMs: 100,
              dataBlockSize: 56,
            },
            new AbortController().signal,
          );
          return { ping, inventory: yield* modules.inventory };
        }),
      ),
    );
    // The simulated module's data-call address: the ping left from the module, not the host.
    expect(ping).toMatchObject({ ipAddressUsed: "10.64.12.34", successCount: 2, failureCount: 0 });
    expect(inventory.execEnvs.map((e) => [e.name, e.type])).toEqual([
      ["QuecPython", "MicroPython"],
    ]);
    expect(inventory.deploymentUnits).toEqual([]);
  });
});
