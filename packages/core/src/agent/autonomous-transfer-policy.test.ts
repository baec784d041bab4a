import { Effect, Option } from "effect";
import { describe, expect, it } from "vitest";
import { cwmpFault } from "../cwmp/fault.js";
import {
  type AutonomousTransferPolicy,
  isAutonomousTransferReported,
  readAutonomousTransferPolicy,
} from "./autonomous-transfer-policy.js";

const all: AutonomousTransferPolicy = {
  enable: true,
  transferTypeFilter: "Both",
  resultTypeFilter: "Both",
  fileTypeFilter: ["1 Firmware Upgrade Image", "3 Vendor Configuration File"],
};
const firmware = { isDownload: true, fileType: "1 Firmware Upgrade Image", faultCode: 0 };
const configUpload = { isDownload: false, fileType: "3 Vendor Configuration File", faultCode: 0 };

describe("AutonomousTransferCompletePolicy (§1.13-Autonomous)", () => {
  it("§1.13-Autonomous reports a transfer every filter includes", () => {
    expect(isAutonomousTransferReported(all, firmware)).toBe(true);
    expect(isAutonomousTransferReported(all, configUpload)).toBe(true);
    expect(isAutonomousTransferReported(all, { ...firmware, faultCode: 9010 })).toBe(true);
  });

  it("§1.13-Autonomous Enable false reports nothing", () => {
    expect(isAutonomousTransferReported({ ...all, enable: false }, firmware)).toBe(false);
  });

  it("§1.13-Autonomous TransferTypeFilter: Download excludes uploads, Upload excludes downloads, other values include neither", () => {
    const download = { ...all, transferTypeFilter: "Download" };
    const upload = { ...all, transferTypeFilter: "Upload" };
    expect([
      isAutonomousTransferReported(download, firmware),
      isAutonomousTransferReported(download, configUpload),
    ]).toEqual([true, false]);
    expect([
      isAutonomousTransferReported(upload, firmware),
      isAutonomousTransferReported(upload, configUpload),
    ]).toEqual([false, true]);
    for (const filter of ["", "both", "Download,Upload"])
      expect(
        isAutonomousTransferReported({ ...all, transferTypeFilter: filter }, firmware),
        filter,
      ).toBe(false);
  });

  it("§1.13-Autonomous ResultTypeFilter: Success excludes faults, Failure excludes successes", () => {
    const success = { ...all, resultTypeFilter: "Success" };
    const failure = { ...all, resultTypeFilter: "Failure" };
    const failed = { ...firmware, faultCode: 9017 };
    expect([
      isAutonomousTransferReported(success, firmware),
      isAutonomousTransferReported(success, failed),
    ]).toEqual([true, false]);
    expect([
      isAutonomousTransferReported(failure, firmware),
      isAutonomousTransferReported(failure, failed),
    ]).toEqual([false, true]);
    expect(isAutonomousTransferReported({ ...all, resultTypeFilter: "" }, firmware)).toBe(false);
  });

  it("§1.13-Autonomous FileTypeFilter: only listed file types; an empty list reports nothing", () => {
    expect(isAutonomousTransferReported(all, { ...firmware, fileType: "2 Web Content" })).toBe(
      false,
    );
    expect(isAutonomousTransferReported({ ...all, fileTypeFilter: [] }, firmware)).toBe(false);
  });

  it("§1.13-Autonomous reads the four parameters (the list split on commas, trimmed); a model without Enable has no policy", async () => {
    const P = "Device.ManagementServer.AutonomousTransferCompletePolicy.";
    const model = (values: Record<string, string>) => ({
      getParameterValues: (names: readonly string[]) => {
        const name = names[0] ?? "";
        const value = values[name];
        return value === undefined
          ? Effect.fail(cwmpFault(9005, name))
          : Effect.succeed([{ name, value, type: "string" as const }]);
      },
    });
    const read = (values: Record<string, string>) =>
      Effect.runPromise(readAutonomousTransferPolicy(model(values), "Device.ManagementServer."));
    expect(
      await read({
        [`${P}Enable`]: "1",
        [`${P}TransferTypeFilter`]: "Upload",
        [`${P}ResultTypeFilter`]: "Failure",
        [`${P}FileTypeFilter`]: " 4 Vendor Log File ,,X 00D09E Dump",
      }),
    ).toEqual(
      Option.some({
        enable: true,
        transferTypeFilter: "Upload",
        resultTypeFilter: "Failure",
        fileTypeFilter: ["4 Vendor Log File", "X 00D09E Dump"],
      }),
    );
    expect(await read({ [`${P}Enable`]: "false" })).toEqual(
      Option.some({
        enable: false,
        transferTypeFilter: "",
        resultTypeFilter: "",
        fileTypeFilter: [],
      }),
    );
    expect(Option.getOrThrow(await read({ [`${P}Enable`]: "true" })).enable).toBe(true);
    expect(await read({})).toEqual(Option.none());
  });
});
