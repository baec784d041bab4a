import { decodeEnvelope, encodeEnvelope, type TransferComplete } from "@cpekit/core";
import { Either } from "effect";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startTestAcs, type TestAcsHandle } from "./start-test-acs.js";
import { deviceOf, informOf, settled, TinyCpe } from "./test-support/tiny-cpe.js";

let acs: TestAcsHandle;
let cpe: TinyCpe;

beforeEach(async () => {
  acs = await startTestAcs({ sessionTimeoutMs: 2_000 });
  cpe = new TinyCpe(acs.url);
});
afterEach(async () => {
  await cpe.close();
  await acs.stop();
});

const transferComplete: TransferComplete = {
  _tag: "TransferComplete",
  commandKey: "fw1",
  faultStruct: { faultCode: 0, faultString: "" },
  startTime: "2026-01-01T00:00:00Z",
  completeTime: "2026-01-01T00:01:00Z",
};

describe("fault injection", () => {
  it("status: the next request gets the scripted status and is not processed; the one after is", async () => {
    acs.inject({ kind: "status", status: 500, body: "boom" });
    const failed = await cpe.post(informOf());
    expect(failed.status).toBe(500);
    expect(failed.text).toBe("boom");
    expect(acs.openSessions()).toBe(0);
    expect((await cpe.post(informOf())).status).toBe(200);
    expect(acs.transcript.entries()[0]?.injected).toEqual([
      { kind: "status", status: 500, body: "boom" },
    ]);
  });

  it("status: a status node:http cannot write becomes a 500 instead of a hung request", async () => {
    acs.inject({ kind: "status", status: 42 });
    expect((await cpe.post(informOf())).status).toBe(500);
  });

  it("serviceUnavailable: 503 with Retry-After, twice when booked twice", async () => {
    acs.inject({ kind: "serviceUnavailable", retryAfterSeconds: 120 }, { times: 2 });
    for (let i = 0; i < 2; i++) {
      const r = await cpe.post(informOf());
      expect(r.status).toBe(503);
      expect(r.headers["retry-after"]).toBe("120");
    }
    expect((await cpe.post(informOf())).status).toBe(200);
  });

  it("delay: the answer comes no sooner than the scripted delay", async () => {
    acs.inject({ kind: "delay", ms: 150 }, { message: "Inform" });
    const started = performance.now();
    expect((await cpe.post(informOf())).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(acs.transcript.entries()[0]?.durationMs).toBeGreaterThanOrEqual(140);
  });

  it("delay: a CPE that gives up meanwhile is noted, and the ACS keeps serving", async () => {
    acs.inject({ kind: "delay", ms: 200 });
    await expect(cpe.post(informOf(), { signal: AbortSignal.timeout(50) })).rejects.toThrow();
    await cpe.newConnection();
    const next = await cpe.post(informOf());
    expect(next.status).toBe(200);
    await vi.waitFor(
      () => {
        const first = acs.transcript.entries().find((e) => e.injected.length > 0);
        expect(first?.notes).toContain("the CPE closed the connection before the answer");
      },
      { timeout: 2_000, interval: 20 },
    );
  });

  it("drop: the connection is destroyed without an answer; the transcript says dropped", async () => {
    acs.inject({ kind: "drop" });
    await expect(cpe.post(informOf())).rejects.toThrow();
    expect(acs.transcript.entries()[0]?.response.status).toBe("dropped");
    expect(acs.openSessions()).toBe(0);
  });

  it("truncatedXml: the answer is cut and no longer decodes", async () => {
    acs.inject({ kind: "truncatedXml" });
    const r = await cpe.post(informOf());
    expect(r.status).toBe(200);
    expect(r.envelope).toBeUndefined();
    const sent = acs.transcript.entries()[0]?.response;
    expect(sent?.body).toBe(r.text);
    const whole = sent?.envelope ? encodeEnvelope(sent.envelope) : "";
    expect(whole.startsWith(r.text)).toBe(true);
    expect(Buffer.byteLength(r.text)).toBe(Math.floor(Buffer.byteLength(whole) / 2));
    expect(Either.isLeft(decodeEnvelope(r.text))).toBe(true);
  });

  it("malformedXml: the answer is not well-formed XML", async () => {
    acs.inject({ kind: "malformedXml" });
    const r = await cpe.post(informOf());
    const decoded = decodeEnvelope(r.text);
    expect(Either.isLeft(decoded) && decoded.left.reason).toBe("Malformed");
  });

  it("trailingMarkup: the whole envelope is sent, then markup that makes the body no XML", async () => {
    acs.inject({ kind: "trailingMarkup" });
    const r = await cpe.post(informOf());
    const sent = acs.transcript.entries()[0]?.response;
    const whole = sent?.envelope ? encodeEnvelope(sent.envelope) : "";
    expect(r.text).toBe(`${whole}<x a=1>&bogus</y>`);
    const decoded = decodeEnvelope(r.text);
    expect(Either.isLeft(decoded) && decoded.left.reason).toBe("Malformed");
  });

  it("V5 holdRequests: InformResponse carries HoldRequests=true; a CPE request then is a violation", async () => {
    acs.inject({ kind: "holdRequests" }, { message: "Inform" });
    const r = await cpe.post(informOf());
    expect(r.envelope?.header.holdRequests).toBe(true);
    await cpe.post(transferComplete);
    expect((await cpe.post("")).status).toBe(204);
    const session = await acs.nextSession({ timeoutMs: 1_000 });
    expect(session.violations).toEqual(["V5: TransferComplete sent while HoldRequests=true"]);
  });

  it("H11 cwmpFault 8005: the CPE request gets fault 8005, its retry the normal response", async () => {
    acs.inject({ kind: "cwmpFault", code: 8005 }, { message: "TransferComplete" });
    await cpe.post(informOf());
    const faulted = await cpe.post(transferComplete, { header: { id: "tc-1" } });
    expect(faulted.body).toMatchObject({
      _tag: "Fault",
      faultcode: "Server",
      detail: { faultCode: 8005, faultString: "Retry request" },
    });
    expect(faulted.envelope?.header.id).toBe("tc-1");
    expect((await cpe.post(transferComplete)).body).toEqual({ _tag: "TransferCompleteResponse" });
  });

  it("cwmpFault skips requests that are not CPE requests (the empty POST)", async () => {
    acs.inject({ kind: "cwmpFault", code: 8005 });
    expect((await cpe.post(informOf())).body?._tag).toBe("Fault");
    acs.inject({ kind: "cwmpFault", code: 8002 });
    await cpe.post(informOf());
    expect(acs.openSessions()).toBe(0);
    acs.clearInjections();
    await cpe.post(informOf());
    expect((await cpe.post("")).status).toBe(204);
  });

  it("neverEnd: no 204; the CPE is kept waiting until a call is queued, which is then sent", async () => {
    acs.inject({ kind: "neverEnd" }, { scope: "session" });
    await cpe.post(informOf());
    let answered = false;
    const held = cpe.post("").finally(() => {
      answered = true;
    });
    await acs.nextInform({ timeoutMs: 1_000 });
    await new Promise((r) => setTimeout(r, 100));
    expect(answered).toBe(false);
    const answer = acs.call(deviceOf(), { _tag: "Reboot", commandKey: "late" });
    const rpc = await held;
    expect(rpc.body).toEqual({ _tag: "Reboot", commandKey: "late" });
    const next = settled(
      cpe.post({ _tag: "RebootResponse" }, { header: { id: rpc.envelope?.header.id } }),
    );
    await expect(answer).resolves.toEqual({ _tag: "RebootResponse" });
    await acs.stop();
    expect((await next).ok).toBe(false);
  });

  it("session scope: every request of the next session of that device gets the fault, none of the other device", async () => {
    acs.inject({ kind: "delay", ms: 30 }, { scope: "session", deviceId: deviceOf("0002") });
    await cpe.post(informOf("0001"));
    await cpe.post("");
    const other = new TinyCpe(acs.url);
    await other.post(informOf("0002"));
    await other.post("");
    await other.close();
    const injected = acs.transcript.entries().map((e) => [e.deviceId, e.injected.length]);
    expect(injected).toEqual([
      [deviceOf("0001"), 0],
      [deviceOf("0001"), 0],
      [deviceOf("0002"), 1],
      [deviceOf("0002"), 1],
    ]);
  });

  it("session scope with a message: every TransferComplete of the next session gets 8005, nothing else", async () => {
    acs.inject(
      { kind: "cwmpFault", code: 8005 },
      { scope: "session", message: "TransferComplete" },
    );
    expect((await cpe.post(informOf())).body?._tag).toBe("InformResponse");
    for (let i = 0; i < 2; i++)
      expect((await cpe.post(transferComplete)).body).toMatchObject({
        detail: { faultCode: 8005 },
      });
    expect((await cpe.post({ _tag: "GetRPCMethods" })).body?._tag).toBe("GetRPCMethodsResponse");
    expect((await cpe.post("")).status).toBe(204);
    await cpe.post(informOf());
    expect((await cpe.post(transferComplete)).body).toEqual({ _tag: "TransferCompleteResponse" });
  });

  it("GenieACS saturation: 503 with Retry-After 60 when the open sessions reach the limit", async () => {
    await acs.stop();
    acs = await startTestAcs({ profile: "genieacs", maxConcurrentSessions: 1 });
    cpe = new TinyCpe(acs.url);
    await cpe.post(informOf("0001"));
    const other = new TinyCpe(acs.url);
    const r = await other.post(informOf("0002"));
    await other.close();
    expect(r.status).toBe(503);
    expect(r.headers["retry-after"]).toBe("60");
  });
});
