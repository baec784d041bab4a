/**
 * Runs the plugin as a user does: `cpekit run sensor.yaml` (the built CLI, loading the built
 * plugin through the profile's `plugin.name`) against the acs-testkit ACS.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestAcs, type TestAcsHandle } from "@cpekit/acs-testkit";
import type { CwmpMessage } from "@cpekit/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildExample,
  type CpekitProcess,
  pluginModule,
  sampleProfile,
  startCpekit,
} from "./test-support/cpekit-process.js";

const SENSOR = "Device.DeviceInfo.TemperatureStatus.TemperatureSensor.1.";
const wait = { timeoutMs: 20_000 };

let acs: TestAcsHandle;
let cpekit: CpekitProcess;
let dir: string;
let key: string; // the device at the ACS (OUI-ProductClass-SerialNumber)
let crUrl: string;

beforeAll(async () => {
  await buildExample();
  acs = await startTestAcs();
  dir = await mkdtemp(join(tmpdir(), "example-device-plugin-"));
  // The sample profile as shipped, pointed at the test ACS and a free connection-request port.
  const profile = (await readFile(sampleProfile, "utf8"))
    .replace("http://127.0.0.1:7547/acs", acs.url)
    .replace("port: 7548", "port: 0")
    .replace("name: ./dist/index.js", `name: ${pluginModule}`);
  await writeFile(join(dir, "sensor.yaml"), profile);
  cpekit = startCpekit(["run", join(dir, "sensor.yaml")]);
}, 180_000);

afterAll(async () => {
  await cpekit?.stop();
  await acs?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Queues `message` and wakes the device with a Digest connection request. */
const ask = async (message: CwmpMessage): Promise<CwmpMessage> => {
  const answer = acs.call(key, message, wait);
  await acs.connectionRequest(crUrl, "cr", "cr-secret");
  return answer;
};

const values = async (names: readonly string[]) => {
  const m = await ask({ _tag: "GetParameterValues", parameterNames: names });
  if (m._tag !== "GetParameterValuesResponse") throw new Error(JSON.stringify(m));
  return Object.fromEntries(m.parameterList.map((p) => [p.name, p.value]));
};

const download = (commandKey: string, url: string): CwmpMessage => ({
  _tag: "Download",
  commandKey,
  fileType: "1 Firmware Upgrade Image",
  url,
  username: "",
  password: "",
  fileSize: 0,
  targetFileName: "",
  delaySeconds: 0,
  successUrl: "",
  failureUrl: "",
});

const transferComplete = async (commandKey: string) => {
  for (;;) {
    const { message } = await acs.nextCpeRequest({ method: "TransferComplete", ...wait });
    if (message._tag === "TransferComplete" && message.commandKey === commandKey) return message;
  }
};

// One `cpekit run` process for the whole file: the steps below follow each other.
describe("example: device plugin run by `cpekit run`", () => {
  it("§1.5: the boot Inform carries the serial number and firmware the plugin read from the sensor", async () => {
    const { deviceId, inform } = await acs.nextInform(wait);
    key = deviceId;
    expect(inform.deviceId).toMatchObject({
      productClass: "TempSensor",
      serialNumber: "TS-000042",
    });
    expect(inform.event.map((e) => e.eventCode)).toContain("1 BOOT");
    const params = Object.fromEntries(inform.parameterList.map((p) => [p.name, p.value]));
    expect(params["Device.DeviceInfo.SoftwareVersion"]).toBe("1.0.0");
    crUrl = params["Device.ManagementServer.ConnectionRequestURL"] ?? "";
    expect(crUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    expect(cpekit.output()).toMatch(/temperature-sensor plugin: temperature sensor TS-000042/);
  });

  it("§1.12: the sensor's values are read through the plugin's provider", async () => {
    const v = await values([SENSOR]);
    expect(v).toMatchObject({
      [`${SENSOR}Name`]: "ambient",
      [`${SENSOR}Enable`]: "true",
      [`${SENSOR}Status`]: "Enabled",
      [`${SENSOR}HighAlarmValue`]: "60",
    });
    expect(Math.abs(Number(v[`${SENSOR}Value`]) - 21)).toBeLessThanOrEqual(1);
  });

  it("§1.14-9007: an alarm outside the sensor's range is refused and nothing changes; one inside is applied", async () => {
    const bad = await ask({
      _tag: "SetParameterValues",
      parameterList: [
        { name: `${SENSOR}Enable`, value: "false", type: "xsd:boolean" },
        { name: `${SENSOR}HighAlarmValue`, value: "500", type: "xsd:int" },
      ],
      parameterKey: "bad",
    });
    expect(bad._tag === "Fault" && bad.detail?.faultCode).toBe(9007);
    expect(await values([`${SENSOR}Enable`, `${SENSOR}HighAlarmValue`])).toEqual({
      [`${SENSOR}Enable`]: "true",
      [`${SENSOR}HighAlarmValue`]: "60",
    });
    const good = await ask({
      _tag: "SetParameterValues",
      parameterList: [{ name: `${SENSOR}HighAlarmValue`, value: "35", type: "xsd:int" }],
      parameterKey: "good",
    });
    expect(good).toMatchObject({ _tag: "SetParameterValuesResponse", status: 0 });
    expect((await values([`${SENSOR}HighAlarmValue`]))[`${SENSOR}HighAlarmValue`]).toBe("35");
  });

  it("§1.13: a firmware Download is installed by the plugin (SoftwareVersion follows); a corrupt image is 9018", async () => {
    const good = await acs.serveFile("/fw/ts-2.0.0.bin", new TextEncoder().encode("TSFW 2.0.0"));
    expect((await ask(download("fw-good", good)))._tag).toBe("DownloadResponse");
    expect((await transferComplete("fw-good")).faultStruct.faultCode).toBe(0);
    const version = "Device.DeviceInfo.SoftwareVersion";
    expect((await values([version]))[version]).toBe("2.0.0");

    const bad = await acs.serveFile("/fw/garbage.bin", new TextEncoder().encode("MZ\u0090\u0000"));
    expect((await ask(download("fw-bad", bad)))._tag).toBe("DownloadResponse");
    expect((await transferComplete("fw-bad")).faultStruct.faultCode).toBe(9018);
    expect((await values([version]))[version]).toBe("2.0.0");
  });

  it("§1.4 Reboot: the plugin restarts the sensor; the next Inform has 1 BOOT and M Reboot", async () => {
    const resetTime = `${SENSOR}ResetTime`;
    const before = (await values([resetTime]))[resetTime] ?? "";
    await ask({ _tag: "Reboot", commandKey: "reboot-1" });
    for (;;) {
      const { inform } = await acs.nextInform(wait);
      const codes = inform.event.map((e) => e.eventCode);
      if (!codes.includes("M Reboot")) continue;
      expect(codes).toContain("1 BOOT");
      break;
    }
    const after = (await values([resetTime]))[resetTime] ?? "";
    expect(Date.parse(after)).toBeGreaterThan(Date.parse(before));
  });

  it("cpekit run stops on SIGTERM with exit code 0", async () => {
    expect(await cpekit.stop()).toBe(0);
  });
});
