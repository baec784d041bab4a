import { gunzipSync, gzipSync } from "node:zlib";
import type { GetParameterValuesResponse } from "@cpekit/core";
import { request } from "undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestAcs, type TestAcsHandle } from "./start-test-acs.js";
import { deviceOf, envelopeXml, informOf, settled, TinyCpe } from "./test-support/tiny-cpe.js";

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

const gpvResponse: GetParameterValuesResponse = {
  _tag: "GetParameterValuesResponse",
  parameterList: [{ name: "Device.DeviceInfo.SoftwareVersion", value: "1.0", type: "string" }],
};

describe("strict CWMP session", () => {
  it("H1 H4 V4: the Inform gets InformResponse with MaxEnvelopes 1, the CPE's cwmp:ID and a cookie", async () => {
    const r = await cpe.post(informOf(), { header: { id: "inform-42" } });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ _tag: "InformResponse", maxEnvelopes: 1 });
    expect(r.envelope?.header.id).toBe("inform-42");
    expect(r.headers["set-cookie"]).toMatch(/^CWMPSID=[0-9a-f]{16}; Path=\/; HttpOnly$/);
    const inform = await acs.nextInform({ timeoutMs: 1_000 });
    expect(inform.deviceId).toBe(deviceOf());
    expect(inform.inform.event).toEqual([{ eventCode: "1 BOOT", commandKey: "" }]);
    expect(inform.version).toBe("1.2");
  });

  it("H2 H3: a queued GetParameterValues goes out after the empty POST, its response resolves call(), then 204", async () => {
    const answer = acs.call(deviceOf(), {
      _tag: "GetParameterValues",
      parameterNames: ["Device.DeviceInfo.SoftwareVersion"],
    });
    await cpe.post(informOf());
    const rpc = await cpe.post("");
    expect(rpc.status).toBe(200);
    expect(rpc.body).toEqual({
      _tag: "GetParameterValues",
      parameterNames: ["Device.DeviceInfo.SoftwareVersion"],
    });
    const id = rpc.envelope?.header.id;
    expect(id).toBeDefined();
    const end = await cpe.post(gpvResponse, { header: { id } });
    expect(end.status).toBe(204);
    expect(end.text).toBe("");
    await expect(answer).resolves.toEqual(gpvResponse);
    const session = await acs.nextSession({ timeoutMs: 1_000 });
    expect(session.outcome).toBe("completed");
    expect(session.acsRequests).toHaveLength(1);
    expect(session.acsRequests[0]?.response).toEqual(gpvResponse);
    expect(session.violations).toEqual([]);
    expect(acs.openSessions()).toBe(0);
  });

  it("H2: calls queued for another device stay queued; a call for any device goes to the first", async () => {
    const other = settled(
      acs.call(deviceOf("9999"), { _tag: "Reboot", commandKey: "k" }, { timeoutMs: 300 }),
    );
    const any = acs.call(undefined, { _tag: "FactoryReset" });
    await cpe.post(informOf());
    const rpc = await cpe.post("");
    expect(rpc.body?._tag).toBe("FactoryReset");
    const end = await cpe.post(
      { _tag: "FactoryResetResponse" },
      { header: { id: rpc.envelope?.header.id } },
    );
    expect(end.status).toBe(204);
    await expect(any).resolves.toEqual({ _tag: "FactoryResetResponse" });
    expect(await other).toMatchObject({ ok: false, error: { reason: "Timeout" } });
  });

  it("a CPE Fault answers call() as a result, not an error", async () => {
    const answer = acs.call(deviceOf(), {
      _tag: "GetParameterValues",
      parameterNames: ["Device.Nope."],
    });
    await cpe.post(informOf());
    const rpc = await cpe.post("");
    const fault = {
      _tag: "Fault" as const,
      faultcode: "Client",
      faultstring: "CWMP fault",
      detail: {
        faultCode: 9005,
        faultString: "Invalid parameter name",
        setParameterValuesFaults: [],
      },
    };
    expect((await cpe.post(fault, { header: { id: rpc.envelope?.header.id } })).status).toBe(204);
    await expect(answer).resolves.toMatchObject({ _tag: "Fault", detail: { faultCode: 9005 } });
  });

  it("CPE requests: TransferComplete and GetRPCMethods are answered and reported", async () => {
    await cpe.post(informOf("0001", ["7 TRANSFER COMPLETE", "M Download"]));
    const tc = await cpe.post({
      _tag: "TransferComplete",
      commandKey: "fw1",
      faultStruct: { faultCode: 0, faultString: "" },
      startTime: "2026-01-01T00:00:00Z",
      completeTime: "2026-01-01T00:01:00Z",
    });
    expect(tc.body).toEqual({ _tag: "TransferCompleteResponse" });
    const methods = await cpe.post({ _tag: "GetRPCMethods" });
    expect(methods.body).toMatchObject({ _tag: "GetRPCMethodsResponse" });
    expect((methods.body as unknown as { methodList: string[] }).methodList).toContain(
      "AutonomousTransferComplete",
    );
    const seen = await acs.nextCpeRequest({ method: "TransferComplete", timeoutMs: 1_000 });
    expect(seen.message).toMatchObject({ commandKey: "fw1" });
    expect((await cpe.post("")).status).toBe(204);
    const session = await acs.nextSession({ timeoutMs: 1_000 });
    expect(session.cpeRequests.map((m) => m._tag)).toEqual(["TransferComplete", "GetRPCMethods"]);
  });

  it("H1: a first message that is not an Inform, or an empty POST without a session, gets 400", async () => {
    const tc = await cpe.post({ _tag: "GetRPCMethods" });
    expect(tc.status).toBe(400);
    expect(tc.text).toBe("Bad session state");
    expect((await cpe.post("")).status).toBe(400);
    expect(acs.transcript.entries().map((e) => e.notes[0])).toEqual([
      "H1: first message of a session is not an Inform",
      "H1: empty POST outside a session",
    ]);
  });

  it("answers 405 to a non-POST on the CWMP path, 404 elsewhere, 415 to an unknown Content-Encoding", async () => {
    expect((await fetch(acs.url)).status).toBe(405);
    expect((await fetch(acs.url)).headers.get("allow")).toBe("POST");
    expect((await fetch(`${acs.baseUrl}/nowhere`)).status).toBe(404);
    const r = await cpe.post(informOf(), { headers: { "content-encoding": "br" } });
    expect(r.status).toBe(415);
  });

  it("H6: the session resumes on a new TCP connection by its cookie; without it the strict ACS refuses", async () => {
    await cpe.post(informOf());
    await cpe.newConnection();
    expect((await cpe.post("", { sendCookie: false })).status).toBe(400);
    const end = await cpe.post("");
    expect(end.status).toBe(204);
    const session = await acs.nextSession({ timeoutMs: 1_000 });
    expect(session.connections.length).toBe(2);
  });

  it("V4: a response that does not echo the request's cwmp:ID is recorded as a violation", async () => {
    const answer = acs.call(deviceOf(), {
      _tag: "GetParameterValues",
      parameterNames: ["Device."],
    });
    await cpe.post(informOf());
    await cpe.post("");
    await cpe.post(gpvResponse, { header: { id: "wrong" } });
    await answer;
    const session = await acs.nextSession({ timeoutMs: 1_000 });
    expect(session.violations).toEqual([
      expect.stringMatching(/^V4: cwmp:ID "wrong" does not echo acs-\d+$/),
    ]);
  });

  it("a silent CPE times out its session; the unanswered call fails with SessionEnded", async () => {
    await acs.stop();
    acs = await startTestAcs({ sessionTimeoutMs: 500 });
    cpe = new TinyCpe(acs.url);
    const answer = settled(acs.call(deviceOf(), { _tag: "Reboot", commandKey: "r" }));
    await cpe.post(informOf());
    expect((await cpe.post("")).body?._tag).toBe("Reboot");
    expect(await answer).toMatchObject({
      ok: false,
      error: { _tag: "TestAcsError", reason: "SessionEnded" },
    });
    expect((await acs.nextSession({ timeoutMs: 2_000 })).outcome).toBe("timedOut");
    expect((await cpe.post({ _tag: "RebootResponse" })).status).toBe(400);
  });

  it("V7: the strict profile answers SupportedCWMPVersions with UseCWMPVersion (highest common)", async () => {
    const r = await cpe.post(informOf(), {
      header: { id: "1", supportedCwmpVersions: "1.0,1.2,1.4" },
    });
    expect(r.envelope?.header.useCwmpVersion).toBe("1.4");
    expect((await acs.nextInform({ timeoutMs: 1_000 })).version).toBe("1.4");
  });

  it("H1: a new Inform during an open session supersedes it", async () => {
    await cpe.post(informOf());
    await cpe.post(informOf());
    const first = await acs.nextSession({ timeoutMs: 1_000 });
    expect(first.outcome).toBe("superseded");
    expect(first.violations).toEqual(["H1: a new Inform before the session ended"]);
  });

  it("§1.4: the strict ACS answers every CPE method of the table (RequestDownload, ATC, DUSCC, Kicked)", async () => {
    await cpe.post(informOf());
    const faultStruct = { faultCode: 0, faultString: "" };
    const answers = [];
    for (const request of [
      { _tag: "RequestDownload", fileType: "3 Vendor Configuration File", fileTypeArg: [] },
      {
        _tag: "AutonomousTransferComplete",
        announceUrl: "",
        transferUrl: "http://127.0.0.1:9/f",
        isDownload: true,
        fileType: "1 Firmware Upgrade Image",
        fileSize: 1,
        targetFileName: "",
        faultStruct,
        startTime: "2026-01-01T00:00:00Z",
        completeTime: "2026-01-01T00:00:00Z",
      },
      { _tag: "DUStateChangeComplete", results: [], commandKey: "du" },
      { _tag: "Kicked", command: "c", referer: "r", arg: "a", next: "n" },
    ] as const)
      answers.push((await cpe.post(request)).body);
    expect(answers).toEqual([
      { _tag: "RequestDownloadResponse" },
      { _tag: "AutonomousTransferCompleteResponse" },
      { _tag: "DUStateChangeCompleteResponse" },
      { _tag: "KickedResponse", nextUrl: "n" },
    ]);
  });

  it("a vendor RPC goes out through call() and its vendor response resolves it", async () => {
    const element = (name: string) => ({
      name: `cwmp:${name}`,
      namespace: "cwmp",
      localName: name,
      attributes: {},
      text: "",
      children: [],
    });
    const answer = acs.call(deviceOf(), {
      _tag: "VendorMessage",
      name: "X_ACME_Diag",
      element: element("X_ACME_Diag"),
    });
    await cpe.post(informOf());
    const rpc = await cpe.post("");
    expect(rpc.body).toMatchObject({ _tag: "VendorMessage", name: "X_ACME_Diag" });
    const response = {
      _tag: "VendorMessage" as const,
      name: "X_ACME_DiagResponse",
      element: element("X_ACME_DiagResponse"),
    };
    expect((await cpe.post(response, { header: { id: rpc.envelope?.header.id } })).status).toBe(
      204,
    );
    await expect(answer).resolves.toMatchObject({ name: "X_ACME_DiagResponse" });
    expect((await acs.nextSession({ timeoutMs: 1_000 })).violations).toEqual([]);
  });

  it("H8: a gzip-encoded POST is read and answered gzip-encoded", async () => {
    const res = await request(acs.url, {
      method: "POST",
      body: gzipSync(envelopeXml(informOf(), { id: "z" })),
      headers: { "content-type": "text/xml", "content-encoding": "gzip" },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-encoding"]).toBe("gzip");
    const xml = gunzipSync(Buffer.from(await res.body.arrayBuffer())).toString();
    expect(xml).toContain("InformResponse");
  });

  it("H8: without advertiseGzip a plain POST is answered plain, with no Accept-Encoding", async () => {
    const res = await request(acs.url, {
      method: "POST",
      body: envelopeXml(informOf(), { id: "p" }),
      headers: { "content-type": "text/xml", "accept-encoding": "gzip" },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-encoding"]).toBeUndefined();
    expect(res.headers["accept-encoding"]).toBeUndefined();
    expect(await res.body.text()).toContain("InformResponse");
  });

  it("H8: advertiseGzip answers carry Accept-Encoding: gzip and are gzipped when the CPE takes gzip", async () => {
    const gz = await startTestAcs({ advertiseGzip: true });
    try {
      const post = (accept: string | undefined, id: string) =>
        request(gz.url, {
          method: "POST",
          body: envelopeXml(informOf(), { id }),
          headers: {
            "content-type": "text/xml",
            ...(accept === undefined ? {} : { "accept-encoding": accept }),
          },
        });
      const zipped = await post("gzip, deflate", "a");
      expect(zipped.headers["accept-encoding"]).toBe("gzip");
      expect(zipped.headers["content-encoding"]).toBe("gzip");
      const xml = gunzipSync(Buffer.from(await zipped.body.arrayBuffer())).toString();
      expect(xml).toContain("InformResponse");
      const plain = await post(undefined, "b");
      expect(plain.headers["accept-encoding"]).toBe("gzip");
      expect(plain.headers["content-encoding"]).toBeUndefined();
      expect(await plain.body.text()).toContain("InformResponse");
      // gzip;q=0 says "not gzip".
      const refused = await post("gzip;q=0, identity", "c");
      expect(refused.headers["content-encoding"]).toBeUndefined();
      expect(await refused.body.text()).toContain("InformResponse");
    } finally {
      await gz.stop();
    }
  });

  it("H8: a gzip request that decodes past maxBodyBytes gets 413, not an out-of-memory", async () => {
    const small = await startTestAcs({ maxBodyBytes: 64 * 1024 });
    try {
      const res = await request(small.url, {
        method: "POST",
        body: gzipSync(Buffer.alloc(16 * 1024 * 1024)),
        headers: { "content-type": "text/xml", "content-encoding": "gzip" },
      });
      expect(res.statusCode).toBe(413);
      await res.body.dump();
    } finally {
      await small.stop();
    }
  });

  it("stop() fails pending calls and waits with reason Stopped", async () => {
    const answer = settled(acs.call(deviceOf(), { _tag: "Reboot", commandKey: "r" }));
    const inform = settled(acs.nextInform());
    await acs.stop();
    expect(await answer).toMatchObject({ ok: false, error: { reason: "Stopped" } });
    expect(await inform).toMatchObject({ ok: false, error: { reason: "Stopped" } });
  });
});
