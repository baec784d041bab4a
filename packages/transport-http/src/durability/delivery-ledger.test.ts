import type { TranscriptEntry } from "@cpekit/acs-testkit";
import type { CwmpMessage, EventStruct } from "@cpekit/core";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { runUserAgent } from "./agent-child-config.js";
import {
  type CwmpExchange,
  checkDeliveries,
  exchangesOf,
  hasCorruptedAnswer,
  REQUEST_KEY_ARG,
  type RunEnd,
} from "./delivery-ledger.js";

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

/** One run of a modelled CPE: its sessions, and the session whose save a kill prevents (0: none). */
const runArbitrary = fc.record({
  sessions: fc.integer({ min: 1, max: 3 }),
  killedBeforeSaveOf: fc.integer({ min: 0, max: 3 }),
});

/**
 * The history of a CPE owing `M Reboot|r` over `runs` (each ends killed). A correct CPE informs
 * it until a session's outcome carrying its acknowledgment is saved; a forgetful one never saves.
 */
const modelHistory = (
  runs: readonly { sessions: number; killedBeforeSaveOf: number }[],
  forgetful: boolean,
) => {
  const h = history();
  let pending = true;
  let sendings = 0;
  runs.forEach((run, i) => {
    for (let s = 1; s <= run.sessions; s++) {
      const id = `${i}-${s}`;
      if (pending) sendings++;
      h.inform(i + 1, id, ...(pending ? ["1 BOOT", "M Reboot|r"] : ["1 BOOT"])).emptyPost(
        i + 1,
        id,
      );
      if (s === run.killedBeforeSaveOf) break;
      if (!forgetful) pending = false;
    }
  });
  const ended = ends(Object.fromEntries(runs.map((_, i) => [i + 1, "killed" as RunEnd])));
  return { report: checkDeliveries(h.list, ended), sendings };
};

/** Sessions a run got through (a kill ends it at the session whose save it prevents). */
const sessionsRun = (run: { sessions: number; killedBeforeSaveOf: number }) =>
  run.killedBeforeSaveOf >= 1 ? Math.min(run.sessions, run.killedBeforeSaveOf) : run.sessions;

describe("delivery ledger (the ACS-side crash guarantee)", () => {
  test.prop([fc.array(runArbitrary, { minLength: 1, maxLength: 6 })])(
    "§1.5 a CPE that informs an event again only until its acknowledgment is saved is never reported as delivering twice; each repeat counts in the at-least-once window",
    (runs) => {
      const { report, sendings } = modelHistory(runs, false);
      expect(report.duplicates).toEqual([]);
      expect(report.atLeastOnceRepeats).toHaveLength(sendings - 1);
    },
  );

  test.prop([fc.array(runArbitrary, { minLength: 1, maxLength: 6 })])(
    "§1.5 a CPE that never saves an acknowledgment is reported as delivering twice exactly when one of its runs informs again after it",
    (runs) => {
      const { report } = modelHistory(runs, true);
      expect(report.duplicates.length > 0).toBe(runs.some((r) => sessionsRun(r) >= 2));
    },
  );

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

  it("§1.5 of two Reboots in one session only the last is owed M Reboot; the first is reported superseded", () => {
    const h = history()
      .inform(1, "a", "1 BOOT")
      .emptyPost(1, "a", { _tag: "Reboot", commandKey: "r1" });
    h.list.push({
      seq: h.list.length + 1,
      run: 1,
      sessionId: "a",
      request: { _tag: "RebootResponse" },
      response: { _tag: "Reboot", commandKey: "r2" },
      status: 200,
    });
    h.answer(1, "a", { _tag: "RebootResponse" }).inform(2, "b", "1 BOOT", "M Reboot|r2");
    const report = checkDeliveries(h.list, ends({ 1: "rebooted" }));
    expect(report.rebootsOwed).toEqual(["r2"]);
    expect(report.rebootsSuperseded).toEqual(["M Reboot|r1"]);
    expect(report.lost).toEqual([]);
  });

  it("§1.5-11-DU-STATE-CHANGE-COMPLETE a ChangeDUState accepted and never reported is lost; reported with 11 + M ChangeDUState it is delivered; without M ChangeDUState it is unannounced; sent again after a saved acknowledgment it is a duplicate", () => {
    const changeDUState: CwmpMessage = {
      _tag: "ChangeDUState",
      operations: [{ _tag: "InstallOpStruct", url: "http://127.0.0.1:1/du.json" }],
      commandKey: "d",
    };
    const report: CwmpMessage = {
      _tag: "DUStateChangeComplete",
      results: [],
      commandKey: "d",
    };
    const accepted = () =>
      history()
        .inform(1, "a", "1 BOOT")
        .emptyPost(1, "a", changeDUState)
        .answer(1, "a", { _tag: "ChangeDUStateResponse" });
    const lost = checkDeliveries(accepted().list, ends({ 1: "killed" }));
    expect(lost.duChangesAccepted).toEqual(["d"]);
    expect(lost.lost).toEqual(["DUStateChangeComplete|d", "M ChangeDUState|d"]);
    const reported = (...events: string[]) => {
      const h = accepted().inform(1, "b", ...events);
      h.list.push({
        seq: h.list.length + 1,
        run: 1,
        sessionId: "b",
        request: report,
        response: { _tag: "DUStateChangeCompleteResponse" },
        status: 200,
      });
      return h.emptyPost(1, "b");
    };
    const ok = checkDeliveries(
      reported("11 DU STATE CHANGE COMPLETE", "M ChangeDUState|d")
        .inform(1, "c", "2 PERIODIC")
        .emptyPost(1, "c").list,
      ends({ 1: "stopped" }),
    );
    expect([ok.lost, ok.unannounced, ok.duplicates]).toEqual([[], [], []]);
    const bare = checkDeliveries(reported("11 DU STATE CHANGE COMPLETE").list, ends({}));
    expect(bare.unannounced).toEqual(["DUStateChangeComplete|d (#5)"]);
    expect(bare.lost).toEqual(["M ChangeDUState|d"]);
    const again = reported("11 DU STATE CHANGE COMPLETE", "M ChangeDUState|d")
      .inform(1, "c", "2 PERIODIC")
      .emptyPost(1, "c")
      .inform(2, "e", "1 BOOT", "11 DU STATE CHANGE COMPLETE", "M ChangeDUState|d");
    again.list.push({
      seq: again.list.length + 1,
      run: 2,
      sessionId: "e",
      request: report,
      response: { _tag: "DUStateChangeCompleteResponse" },
      status: 200,
    });
    expect(checkDeliveries(again.list, ends({ 1: "killed" })).duplicates).toEqual([
      "DUStateChangeComplete|d (#10)",
      "M ChangeDUState|d (#9)",
    ]);
  });

  it("§1.4-CPE-Kicked §1.5-5-KICKED a queued Kicked acknowledged by KickedResponse after an Inform with 5 KICKED is delivered; never answered, it is lost", () => {
    const kicked: CwmpMessage = {
      _tag: "Kicked",
      command: "c",
      referer: "r",
      arg: "k1",
      next: "n",
    };
    const h = history().inform(1, "a", "1 BOOT", "5 KICKED");
    h.list.push({
      seq: h.list.length + 1,
      run: 1,
      sessionId: "a",
      request: kicked,
      response: { _tag: "KickedResponse", nextUrl: "n" },
      status: 200,
    });
    h.emptyPost(1, "a");
    const delivered = checkDeliveries(h.list, ends({ 1: "stopped" }), ["Kicked|k1"]);
    expect([delivered.lost, delivered.unannounced]).toEqual([[], []]);
    expect(delivered.acknowledged.get("Kicked|k1")).toBe(1);
    const silent = history().inform(1, "a", "1 BOOT").emptyPost(1, "a");
    expect(checkDeliveries(silent.list, ends({ 1: "stopped" }), ["Kicked|k1"]).lost).toEqual([
      "Kicked|k1",
    ]);
  });

  it("§1.5-9-REQUEST-DOWNLOAD a RequestDownload acknowledged in a session whose Inform lacked 9 REQUEST DOWNLOAD is unannounced; one sent again after its saved acknowledgment is a duplicate", () => {
    const rd: CwmpMessage = {
      _tag: "RequestDownload",
      fileType: "2 Web Content",
      fileTypeArg: [{ name: REQUEST_KEY_ARG, value: "r1" }],
    };
    const sent = (h: ReturnType<typeof history>, run: number, sessionId: string) => {
      h.list.push({
        seq: h.list.length + 1,
        run,
        sessionId,
        request: rd,
        response: { _tag: "RequestDownloadResponse" },
        status: 200,
      });
      return h.emptyPost(run, sessionId);
    };
    const h = sent(history().inform(1, "a", "1 BOOT"), 1, "a");
    expect(
      checkDeliveries(h.list, ends({ 1: "stopped" }), ["RequestDownload|r1"]).unannounced,
    ).toEqual(["RequestDownload|r1 (#2)"]);
    const twice = sent(
      sent(history().inform(1, "a", "9 REQUEST DOWNLOAD"), 1, "a").inform(
        1,
        "b",
        "9 REQUEST DOWNLOAD",
      ),
      1,
      "b",
    );
    expect(checkDeliveries(twice.list, ends({ 1: "stopped" })).duplicates).toEqual([
      "RequestDownload|r1 (#5)",
    ]);
  });

  it("§1.4-CPE-GetRPCMethods queued GetRPCMethods are counted against the answered ones", () => {
    const h = history().inform(1, "a", "1 BOOT");
    h.list.push({
      seq: h.list.length + 1,
      run: 1,
      sessionId: "a",
      request: { _tag: "GetRPCMethods" },
      response: { _tag: "GetRPCMethodsResponse", methodList: [] },
      status: 200,
    });
    h.emptyPost(1, "a");
    expect(checkDeliveries(h.list, ends({ 1: "stopped" }), ["GetRPCMethods|run-1"]).lost).toEqual(
      [],
    );
    expect(
      checkDeliveries(h.list, ends({ 1: "stopped" }), [
        "GetRPCMethods|run-1",
        "GetRPCMethods|run-2",
      ]).lost,
    ).toEqual(["GetRPCMethods (2 queued, 1 answered)"]);
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

  it("issue 9: an InformResponse the ACS corrupted (markup after the envelope) acknowledges nothing: its events stay owed", () => {
    const informResponse = {
      seq: 1,
      kind: "cwmp" as const,
      startedAt: "2026-01-01T00:00:00.000Z",
      durationMs: 1,
      connection: 1,
      method: "POST",
      url: "/acs",
      sessionId: "s",
      deviceId: "dev",
      request: { headers: { "user-agent": runUserAgent(2) }, body: "" },
      response: {
        headers: {},
        body: "",
        status: 200,
        envelope: {
          header: {},
          body: { _tag: "InformResponse" as const, maxEnvelopes: 1 },
          version: "1.2" as const,
        },
      },
      notes: [],
    };
    const corrupted: TranscriptEntry = {
      ...informResponse,
      injected: [{ kind: "trailingMarkup" }],
    };
    const clean: TranscriptEntry = { ...informResponse, injected: [{ kind: "delay", ms: 1 }] };
    expect(exchangesOf([corrupted], "dev")[0]?.response).toBeUndefined();
    expect(exchangesOf([clean], "dev")[0]?.response).toEqual({
      _tag: "InformResponse",
      maxEnvelopes: 1,
    });
    expect(hasCorruptedAnswer(corrupted)).toBe(true);
    expect(hasCorruptedAnswer({ ...informResponse, injected: [{ kind: "malformedXml" }] })).toBe(
      true,
    );
    expect(hasCorruptedAnswer(clean)).toBe(false);
  });
});
