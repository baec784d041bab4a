import type { TranscriptEntry } from "@cpekit/acs-testkit";
import type { CwmpMessage, EventStruct } from "@cpekit/core";
import { describe, expect, it } from "vitest";
import { runUserAgent } from "./agent-child-config.js";
import { type CwmpExchange, checkDeliveries, exchangesOf, type RunEnd } from "./delivery-ledger.js";

/** Builds one device's exchanges session by session; `seq` follows the order of the calls. */
const history = () => {
  const list: CwmpExchange[] = [];
  const add = (
    run: number,
    sessionId: string,
    request: CwmpMessage | undefined,
    response: CwmpMessage | undefined,
    status = 200,
  ) => {
    list.push({
      seq: list.length + 1,
      run,
      sessionId,
      ...(request ? { request } : {}),
      ...(response ? { response } : {}),
      status,
    });
  };
  const api = {
    list,
    /** An acknowledged Inform carrying `events` (`code` or `code|key`). */
    inform: (run: number, sessionId: string, ...events: string[]) => {
      const event: EventStruct[] = events.map((e) => {
        const [eventCode = "", commandKey = ""] = e.split("|");
        return { eventCode, commandKey };
      });
      add(
        run,
        sessionId,
        {
          _tag: "Inform",
          deviceId: { manufacturer: "m", oui: "000000", productClass: "p", serialNumber: "s" },
          event,
          maxEnvelopes: 1,
          currentTime: "2026-01-01T00:00:00Z",
          retryCount: 0,
          parameterList: [],
        },
        { _tag: "InformResponse", maxEnvelopes: 1 },
      );
      return api;
    },
    transferComplete: (run: number, sessionId: string, commandKey: string) => {
      add(
        run,
        sessionId,
        {
          _tag: "TransferComplete",
          commandKey,
          faultStruct: { faultCode: 0, faultString: "" },
          startTime: "2026-01-01T00:00:00Z",
          completeTime: "2026-01-01T00:00:01Z",
        },
        { _tag: "TransferCompleteResponse" },
      );
      return api;
    },
    /** The empty POST, answered with `request` or with the final 204. */
    emptyPost: (run: number, sessionId: string, request?: CwmpMessage) => {
      add(run, sessionId, undefined, request, request ? 200 : 204);
      return api;
    },
    /** The CPE's answer to the pending ACS request, answered with the final 204. */
    answer: (run: number, sessionId: string, response: CwmpMessage) => {
      add(run, sessionId, response, undefined, 204);
      return api;
    },
  };
  return api;
};

const download = (commandKey: string): CwmpMessage => ({
  _tag: "Download",
  commandKey,
  fileType: "1 Firmware Upgrade Image",
  url: "http://127.0.0.1:1/fw.bin",
  username: "",
  password: "",
  fileSize: 0,
  targetFileName: "",
  delaySeconds: 0,
  successUrl: "",
  failureUrl: "",
});
const accepted: CwmpMessage = {
  _tag: "DownloadResponse",
  status: 1,
  startTime: "0001-01-01T00:00:00Z",
  completeTime: "0001-01-01T00:00:00Z",
};
const ends = (entries: Record<number, RunEnd>) =>
  new Map(Object.entries(entries).map(([k, v]) => [Number(k), v]));

/** A transfer `k` accepted in run 1 and reported in run 1's next session. */
const transferReported = () =>
  history()
    .inform(1, "a", "0 BOOTSTRAP", "1 BOOT")
    .emptyPost(1, "a", download("k"))
    .answer(1, "a", accepted)
    .inform(1, "b", "7 TRANSFER COMPLETE", "M Download|k")
    .transferComplete(1, "b", "k")
    .emptyPost(1, "b");

describe("delivery ledger (the ACS-side crash guarantee)", () => {
  it("§1.13 a Download answered with Status 1 and never followed by an acknowledged TransferComplete is lost", () => {
    const h = history()
      .inform(1, "a", "1 BOOT")
      .emptyPost(1, "a", download("k"))
      .answer(1, "a", accepted);
    const report = checkDeliveries(h.list, ends({ 1: "killed" }));
    expect(report.downloadsAccepted).toEqual(["k"]);
    expect(report.lost).toEqual(["TransferComplete|k", "M Download|k"]);
  });

  it("§1.13 a TransferComplete acknowledged with 7 TRANSFER COMPLETE + M Download in its Inform delivers the transfer", () => {
    const h = transferReported().inform(1, "c", "2 PERIODIC").emptyPost(1, "c");
    const report = checkDeliveries(h.list, ends({ 1: "stopped" }));
    expect(report.lost).toEqual([]);
    expect(report.unannounced).toEqual([]);
    expect(report.pendingSave).toEqual([]);
  });

  it("§1.13 a TransferComplete acknowledged in a session whose Inform lacked M Download is reported unannounced", () => {
    const h = history().inform(1, "a", "7 TRANSFER COMPLETE").transferComplete(1, "a", "k");
    expect(checkDeliveries(h.list, ends({})).unannounced).toEqual(["TransferComplete|k (#2)"]);
  });

  it("§1.5 a TransferComplete sent again after its acknowledgment was known saved (a later session of its run) is a duplicate", () => {
    const h = transferReported()
      .inform(1, "c", "2 PERIODIC")
      .inform(2, "d", "1 BOOT", "7 TRANSFER COMPLETE", "M Download|k")
      .transferComplete(2, "d", "k");
    const report = checkDeliveries(h.list, ends({ 1: "killed" }));
    expect(report.duplicates).toEqual(["M Download|k (#8)", "TransferComplete|k (#9)"]);
  });

  it("§1.5 the same repeat after an acknowledgment whose run was killed before any proof of its save is an at-least-once repeat, not a duplicate", () => {
    const h = transferReported()
      .inform(2, "d", "1 BOOT", "7 TRANSFER COMPLETE", "M Download|k")
      .transferComplete(2, "d", "k");
    const report = checkDeliveries(h.list, ends({ 1: "killed" }));
    expect(report.duplicates).toEqual([]);
    expect(report.atLeastOnceRepeats).toEqual(["M Download|k (#7)", "TransferComplete|k (#8)"]);
  });

  it("§1.5 0 BOOTSTRAP informed again after its saved acknowledgment is a duplicate; 1 BOOT and 2 PERIODIC recur freely", () => {
    const h = history()
      .inform(1, "a", "0 BOOTSTRAP", "1 BOOT")
      .inform(1, "b", "2 PERIODIC")
      .inform(2, "c", "1 BOOT", "2 PERIODIC")
      .inform(3, "d", "0 BOOTSTRAP", "1 BOOT");
    const report = checkDeliveries(h.list, ends({ 1: "killed", 2: "killed" }));
    expect(report.duplicates).toEqual(["0 BOOTSTRAP (#4)"]);
  });

  it("§1.5 a Reboot accepted in a completed session whose run rebooted by itself is owed M Reboot: missing, it is lost; delivered, it is not", () => {
    const ordered = () =>
      history()
        .inform(1, "a", "1 BOOT")
        .emptyPost(1, "a", { _tag: "Reboot", commandKey: "r" })
        .answer(1, "a", { _tag: "RebootResponse" });
    const missing = checkDeliveries(
      ordered().inform(2, "b", "1 BOOT").list,
      ends({ 1: "rebooted" }),
    );
    expect(missing.rebootsOwed).toEqual(["r"]);
    expect(missing.lost).toEqual(["M Reboot|r"]);
    const delivered = checkDeliveries(
      ordered().inform(2, "b", "1 BOOT", "M Reboot|r").list,
      ends({ 1: "rebooted" }),
    );
    expect(delivered.lost).toEqual([]);
  });

  it("§1.5 a Reboot whose run was killed right after the session's final answer is the reported gap, not a loss", () => {
    const h = history()
      .inform(1, "a", "1 BOOT")
      .emptyPost(1, "a", { _tag: "Reboot", commandKey: "r" })
      .answer(1, "a", { _tag: "RebootResponse" })
      .inform(2, "b", "1 BOOT");
    const report = checkDeliveries(h.list, ends({ 1: "killed" }));
    expect(report.rebootsOrdered).toEqual(["r"]);
    expect(report.rebootsOwed).toEqual([]);
    expect(report.lost).toEqual([]);
    expect(report.rebootsLostBeforeSave).toEqual(["M Reboot|r"]);
  });

  it("reads each exchange's run from the User-Agent and keeps only the device's CWMP exchanges", () => {
    const entry = (seq: number, deviceId: string, userAgent: string): TranscriptEntry => ({
      seq,
      kind: "cwmp",
      startedAt: "2026-01-01T00:00:00.000Z",
      durationMs: 1,
      connection: 1,
      method: "POST",
      url: "/acs",
      sessionId: "s",
      deviceId,
      request: { headers: { "user-agent": userAgent }, body: "" },
      response: { headers: {}, body: "", status: 204 },
      injected: [],
      notes: [],
    });
    const entries = [
      entry(1, "dev", runUserAgent(3)),
      entry(2, "other", runUserAgent(3)),
      entry(3, "dev", "curl/8"),
    ];
    expect(exchangesOf(entries, "dev")).toEqual([{ seq: 1, run: 3, sessionId: "s", status: 204 }]);
  });
});
