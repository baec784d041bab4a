import { createServer, type Server } from "node:net";
import { Effect, Either, Exit, Scope } from "effect";
import { afterEach, describe, expect, it } from "vitest";
import { SimulatedModule } from "../simulator/simulated-module.js";
import { makeQuecPythonDevice } from "./quecpython-device.js";
import { decodeQuecPythonOptions } from "./quecpython-options.js";

describe("quecpython plugin options", () => {
  it("accepts exactly one of port, tcp, simulate and names a bad option", () => {
    expect(Either.isRight(decodeQuecPythonOptions({ simulate: true }))).toBe(true);
    expect(Either.isRight(decodeQuecPythonOptions({ port: "auto", factoryReset: "none" }))).toBe(
      true,
    );
    expect(Either.isRight(decodeQuecPythonOptions({ tcp: "127.0.0.1:7000" }))).toBe(true);
    for (const bad of [
      {},
      { port: "auto", simulate: true },
      { tcp: "nohost" },
      { simulate: true, colour: 1 },
    ]) {
      const r = decodeQuecPythonOptions(bad);
      expect(Either.isLeft(r) && r.left.reason, JSON.stringify(bad)).toBe("BadOptions");
    }
    const r = decodeQuecPythonOptions({ simulate: true, manufacturerOui: "xyz" });
    expect(Either.isLeft(r) && r.left.detail).toContain("manufacturerOui");
  });
});

describe("makeQuecPythonDevice", () => {
  let server: Server | undefined;
  let sim: SimulatedModule | undefined;
  afterEach(async () => {
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    sim?.close();
    server = undefined;
    sim = undefined;
  });

  it("over tcp host:port reads the module's identity and gives the DeviceId with the IMEI as serial number", async () => {
    const module = await SimulatedModule.start();
    sim = module;
    // A serial-to-TCP bridge on loopback in front of the simulated module's port.
    const tcp = createServer((socket) => {
      void module.open().then((port) => {
        socket.pipe(port);
        port.pipe(socket);
        socket.on("close", () => port.destroy());
      });
    });
    server = tcp;
    await new Promise<void>((r) => tcp.listen(0, "127.0.0.1", r));
    const address = tcp.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    const scope = Effect.runSync(Scope.make());
    try {
      const device = await Effect.runPromise(
        Scope.extend(
          makeQuecPythonDevice({ tcp: `127.0.0.1:${port}`, manufacturerOui: "00A0C6" }),
          scope,
        ),
      );
      expect(device.identity).toEqual({
        imei: "866327040830317",
        manufacturer: "Quectel",
        model: "EC600N",
        softwareVersion: "EC600NCNLCR01A01M16_OCPU_QPY",
      });
      expect(device.deviceId({ oui: "00A0C6", productClass: "" })).toEqual({
        manufacturer: "Quectel",
        oui: "00A0C6",
        productClass: "EC600N",
        serialNumber: "866327040830317",
      });
      const values = await Effect.runPromise(
        device.provider.get([
          "Device.DeviceInfo.ManufacturerOUI",
          "Device.DeviceInfo.SerialNumber",
        ]),
      );
      expect([...values.values()]).toEqual(["00A0C6", "866327040830317"]);
    } finally {
      await Effect.runPromise(Scope.close(scope, Exit.void));
    }
  });

  it("fails with ConnectFailed when nothing listens on the tcp endpoint", async () => {
    const exit = await Effect.runPromiseExit(
      Effect.scoped(makeQuecPythonDevice({ tcp: "127.0.0.1:1", manufacturerOui: "00A0C6" })),
    );
    expect(Exit.isFailure(exit)).toBe(true);
    const error = Exit.isFailure(exit) ? JSON.stringify(exit.cause) : "";
    expect(error).toContain("ConnectFailed");
  });
});
