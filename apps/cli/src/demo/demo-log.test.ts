import { Transcript, type TranscriptEntry } from "@cpekit/acs-testkit";
import { describe, expect, it } from "vitest";
import { makeDemoLog } from "./demo-log.js";

const exchange = (
  kind: TranscriptEntry["kind"],
  url: string,
  message?: string,
): Omit<TranscriptEntry, "seq"> => ({
  kind,
  startedAt: "2026-12-07T00:00:00.000Z",
  durationMs: 1,
  connection: 1,
  method: kind === "cwmp" ? "POST" : "GET",
  url,
  request: message === undefined ? { headers: {}, body: "" } : { headers: {}, body: "", message },
  response: { headers: {}, body: "", status: 200 },
  injected: [],
  notes: [],
});

const logOver = () => {
  const transcript = new Transcript();
  const out: string[] = [];
  return { transcript, out, log: makeDemoLog(transcript, (l) => out.push(l)) };
};

describe("demo log order", () => {
  it("a finding about an exchange prints right after it, before exchanges recorded later (the Download answer before the file GET)", () => {
    const { transcript, out, log } = logOver();
    const answer = transcript.add(exchange("cwmp", "/acs", "DownloadResponse"));
    // The device went on before the tour read the answer: the session ended and the file was fetched.
    transcript.add(exchange("cwmp", "/acs", "empty"));
    transcript.add(exchange("fileDownload", "/firmware/fw.bin"));
    log.detail("answer: DownloadResponse status 1", answer.seq);
    log.flush();
    const at = (text: string) => out.findIndex((l) => l.includes(text));
    expect(at("answer: DownloadResponse")).toBeGreaterThan(at("#1 "));
    expect(at("answer: DownloadResponse")).toBeLessThan(at("#2 "));
    expect(at("GET /firmware/fw.bin")).toBeGreaterThan(at("#2 "));
    expect(out).toHaveLength(4);
  });

  it("a device report waits for the exchanges recorded before it, and does not pull in later ones", () => {
    const { transcript, out, log } = logOver();
    const first = transcript.add(exchange("cwmp", "/acs", "Inform"));
    transcript.add(exchange("fileDownload", "/firmware/fw.bin"));
    log.device("device: firmware image applied");
    transcript.add(exchange("cwmp", "/acs", "Inform"));
    // Nothing is printed by the report itself.
    expect(out).toEqual([]);
    log.detail("Inform events: 1 BOOT", first.seq);
    expect(out.some((l) => l.includes("firmware image applied"))).toBe(false);
    log.flush();
    expect(out.map((l) => l.trim().slice(0, 2))).toEqual(["#1", "In", "#2", "de", "#3"]);
  });

  it("a finding about an exchange already printed prints at once; a step prints everything recorded and is noted after it", () => {
    const { transcript, out, log } = logOver();
    const first = transcript.add(exchange("cwmp", "/acs", "Inform"));
    transcript.add(exchange("cwmp", "/acs", "empty"));
    log.step("next step");
    log.detail("late finding", first.seq);
    expect(out.map((l) => l.trim().slice(0, 4))).toEqual(["#1 C", "#2 C", "== n", "late"]);
    expect(log.notes()).toEqual([{ afterSeq: 2, text: "next step" }]);
    expect(log.lines()).toEqual(out);
  });
});
