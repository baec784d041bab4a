/**
 * `ManagementServer.AutonomousTransferCompletePolicy` (TR-181, requirements §1.13): which
 * transfers the CPE did on its own (not asked by the ACS) are reported with
 * `10 AUTONOMOUS TRANSFER COMPLETE` and an AutonomousTransferComplete. Each filter names what
 * MUST be included; what it does not name MUST NOT be, so an empty (or unknown) filter value
 * reports nothing.
 * @module
 */
import { Effect, Option } from "effect";
import type { DataModel } from "../datamodel/data-model.js";
import { readParameterValue } from "./device-value.js";

/** The policy's values as read from the data model. */
export interface AutonomousTransferPolicy {
  readonly enable: boolean;
  /** `Upload`, `Download` or `Both`; any other value includes no transfer type. */
  readonly transferTypeFilter: string;
  /** `Success`, `Failure` or `Both`; any other value includes no result. */
  readonly resultTypeFilter: string;
  /** The file types reported (the comma-separated list, split and trimmed; empty: none). */
  readonly fileTypeFilter: readonly string[];
}

/** What the policy is asked about: one finished autonomous transfer. */
export interface AutonomousTransferFacts {
  readonly isDownload: boolean;
  readonly fileType: string;
  /** The transfer's FaultCode (0: success). */
  readonly faultCode: number;
}

const includes = (filter: string, value: "Upload" | "Download" | "Success" | "Failure") =>
  filter === value || filter === "Both";

/** True when `policy` lets the CPE report `transfer`. */
export const isAutonomousTransferReported = (
  policy: AutonomousTransferPolicy,
  transfer: AutonomousTransferFacts,
): boolean =>
  policy.enable &&
  includes(policy.transferTypeFilter, transfer.isDownload ? "Download" : "Upload") &&
  includes(policy.resultTypeFilter, transfer.faultCode === 0 ? "Success" : "Failure") &&
  policy.fileTypeFilter.includes(transfer.fileType);

/** The items of a TR-181 comma-separated list value. */
const listItems = (value: string): readonly string[] =>
  value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");

/**
 * The policy under `prefix` (e.g. `Device.ManagementServer.`), or none when the model has no
 * `AutonomousTransferCompletePolicy.Enable` (a trimmed profile): such a device has no policy
 * to honour, and reports what its application announces.
 */
export const readAutonomousTransferPolicy = (
  model: Pick<DataModel, "getParameterValues">,
  prefix: string,
): Effect.Effect<Option.Option<AutonomousTransferPolicy>> =>
  Effect.gen(function* () {
    const get = (name: string) =>
      readParameterValue(model, `${prefix}AutonomousTransferCompletePolicy.${name}`);
    const enable = yield* get("Enable");
    if (Option.isNone(enable)) return Option.none();
    const text = (o: Option.Option<string>) => Option.getOrElse(o, () => "");
    return Option.some({
      enable: enable.value === "true" || enable.value === "1",
      transferTypeFilter: text(yield* get("TransferTypeFilter")),
      resultTypeFilter: text(yield* get("ResultTypeFilter")),
      fileTypeFilter: listItems(text(yield* get("FileTypeFilter"))),
    });
  });
