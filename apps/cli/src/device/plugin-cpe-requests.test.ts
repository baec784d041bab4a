import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CpeRequestError, type CpeRequests, type CwmpMessage } from "@cpekit/core";
import { loadDevice2Schema, selectProfile } from "@cpekit/datamodel-tr181";
import { Effect, Option } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DeviceSpec } from "./device-spec.js";
import { pluginCpeRequests } from "./plugin-cpe-requests.js";
import { openPluginDevice } from "./plugin-device.js";

/** A fake agent API: records the calls, answers each with `answers[tag]`. */
const fakeApi = (calls: string[], refuse = false): CpeRequests => {
  const pending = <R extends CwmpMessage>(seq: number, response: R) => ({
    seq,
    answer: refuse
      ? Effect.fail(
          new CpeRequestError({ reason: "Rejected", detail: "fault 8001", faultCode: 8001 }),
        )
      : Effect.succeed(response),
  });
  return {
    kicked: (args) =>
      Effect.sync(() => {
        calls.push(`Kicked ${args.command}`);
        return pending(5, { _tag: "KickedResponse", nextUrl: "http://127.0.0.1/next" });
      }),
    requestDownload: (fileType, fileTypeArg = []) =>
      Effect.sync(() => {
        calls.push(`RequestDownload ${fileType} ${fileTypeArg.length}`);
        return pending(6, { _tag: "RequestDownloadResponse" });
      }),
    autonomousTransferComplete: (t) =>
      Effect.sync(() => {
        calls.push(`AutonomousTransferComplete ${t.fileType}`);
        return t.isDownload
          ? Option.some(pending(7, { _tag: "AutonomousTransferCompleteResponse" }))
          : Option.none();
      }),
    getRpcMethods: () =>
      Effect.sync(() => {
        calls.push("GetRPCMethods");
        return pending(8, { _tag: "GetRPCMethodsResponse", methodList: ["Inform", "Kicked"] });
      }),
    acsMethods: Effect.succeed(Option.none()),
  };
};

const transfer = {
  transferUrl: "http://127.0.0.1/f",
  isDownload: true,
  fileType: "1 Firmware Upgrade Image",
  fileSize: 1,
};

describe("the CPE-initiated RPCs of a plugin module (Promises over agent.cpeRequests)", () => {
  it("§1.4-CPE-Kicked §1.4-CPE-RequestDownload §1.4-CPE-AutonomousTransferComplete §1.4-CPE-GetRPCMethods each call resolves once queued (seq) and answer() gives the ACS's answer", async () => {
    const calls: string[] = [];
    const api = pluginCpeRequests(fakeApi(calls));
    const kicked = await api.kicked({ command: "c", referer: "", arg: "", next: "" });
    expect([kicked.seq, await kicked.answer()]).toEqual([5, "http://127.0.0.1/next"]);
    const rd = await api.requestDownload("2 Web Content", [{ name: "k", value: "v" }]);
    expect([rd.seq, await rd.answer()]).toEqual([6, undefined]);
    const atc = await api.autonomousTransferComplete(transfer);
    expect(atc?.seq).toBe(7);
    expect(await api.autonomousTransferComplete({ ...transfer, isDownload: false })).toBe(
      undefined,
    );
    const methods = await api.getRpcMethods();
    expect([methods.seq, await methods.answer()]).toEqual([8, ["Inform", "Kicked"]]);
    expect(calls).toEqual([
      "Kicked c",
      "RequestDownload 2 Web Content 1",
      "AutonomousTransferComplete 1 Firmware Upgrade Image",
      "AutonomousTransferComplete 1 Firmware Upgrade Image",
      "GetRPCMethods",
    ]);
  });

  it("a request the ACS refused rejects answer() with the fault; answer is not run until asked", async () => {
    const api = pluginCpeRequests(fakeApi([], true));
    const rd = await api.requestDownload("2 Web Content");
    await expect(rd.answer()).rejects.toThrow("CPE request Rejected: fault 8001");
  });
});

describe("a plugin module's attach (cpekit run)", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "cpekit-plugin-attach-"));
    await writeFile(
      join(dir, "plugin.mjs"),
      `export default {
  name: "attach-plugin",
  open: () => ({
    deviceActions: {},
    attach: async ({ cpeRequests }) => {
      const pending = await cpeRequests.getRpcMethods();
      globalThis.__attachedMethods = await pending.answer();
    },
  }),
};
`,
    );
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("is given each agent's CPE-request API as Promises", async () => {
    const spec = {
      schema: selectProfile(loadDevice2Schema(), "cellular-module"),
      deviceId: { manufacturer: "ACME", oui: "00ACE0", productClass: "Box", serialNumber: "1" },
      values: {},
      instances: {},
      plugin: "module",
      pluginModule: join(dir, "plugin.mjs"),
    } as unknown as DeviceSpec;
    const calls: string[] = [];
    await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const device = yield* openPluginDevice(spec, () => undefined);
          expect(device.attach).toBeDefined();
          yield* device.attach?.({ cpeRequests: fakeApi(calls) }) ?? Effect.void;
        }),
      ),
    );
    expect(calls).toEqual(["GetRPCMethods"]);
    expect((globalThis as { __attachedMethods?: unknown }).__attachedMethods).toEqual([
      "Inform",
      "Kicked",
    ]);
  });
});
