import { Effect } from "effect";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestAcs, type TestAcsHandle } from "./start-test-acs.js";
import { layer, makeTestAcs, TestAcs } from "./test-acs.js";
import { deviceOf, informOf, TinyCpe } from "./test-support/tiny-cpe.js";

let acs: TestAcsHandle;
let cpe: TinyCpe;
beforeEach(async () => {
  acs = await startTestAcs();
  cpe = new TinyCpe(acs.url);
});
afterEach(async () => {
  await cpe.close();
  await acs.stop();
});

describe("transcript", () => {
  it("records every exchange with status, headers, decoded messages and timings; exports JSON and text", async () => {
    acs.inject({ kind: "delay", ms: 5 }, { message: "empty" });
    await cpe.post(informOf(), { header: { id: "i-1" } });
    await cpe.post("");
    const [inform, end] = acs.transcript.entries();
    expect(inform).toMatchObject({
      seq: 1,
      kind: "cwmp",
      method: "POST",
      url: "/acs",
      deviceId: deviceOf(),
      request: { message: "Inform", headers: { soapaction: "" } },
      response: {
        status: 200,
        message: "InformResponse",
        headers: { "Content-Type": 'text/xml; charset="utf-8"' },
      },
    });
    expect(inform?.request.envelope?.header.id).toBe("i-1");
    expect(inform?.response.envelope?.body).toEqual({ _tag: "InformResponse", maxEnvelopes: 1 });
    expect(Number.isNaN(Date.parse(inform?.startedAt ?? ""))).toBe(false);
    expect(end).toMatchObject({
      seq: 2,
      sessionId: inform?.sessionId,
      request: { message: "empty" },
      response: { status: 204, message: "empty" },
    });
    expect(end?.durationMs).toBeGreaterThanOrEqual(4);

    const json = JSON.parse(acs.transcript.toJson()) as { entries: unknown[] };
    expect(json.entries).toHaveLength(2);
    const text = acs.transcript.toText();
    expect(text).toMatch(
      /#1 \S+ cwmp conn#1 POST \/acs session=[0-9a-f]{16} device=00D09E-Box-0001\n {2}-> Inform\n {2}<- 200 InformResponse/,
    );
    expect(text).toContain("<- 204 empty");
    expect(text).toContain("injected: delay 5 ms");
  });
});

describe("Effect API", () => {
  it("makeTestAcs runs a session in a scope and stops with it", async () => {
    const program = Effect.gen(function* () {
      const api = yield* makeTestAcs({ profile: "genieacs" });
      const local = new TinyCpe(api.url);
      const reboot = yield* Effect.fork(api.call(deviceOf(), { _tag: "Reboot", commandKey: "x" }));
      yield* Effect.promise(() => local.post(informOf()));
      const rpc = yield* Effect.promise(() => local.post(""));
      yield* Effect.promise(() =>
        local.post({ _tag: "RebootResponse" }, { header: { id: rpc.envelope?.header.id } }),
      );
      const answer = yield* reboot.await;
      yield* Effect.promise(() => local.close());
      return { answer, url: api.url };
    });
    const { answer, url } = await Effect.runPromise(Effect.scoped(program));
    expect(answer._tag === "Success" && answer.value).toEqual({ _tag: "RebootResponse" });
    await expect(fetch(url, { method: "POST" })).rejects.toThrow();
  });

  it("layer provides TestAcs as a service", async () => {
    const url = await Effect.runPromise(
      Effect.map(TestAcs, (api) => api.url).pipe(Effect.provide(layer({ path: "/cwmp" }))),
    );
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/cwmp$/);
  });
});
