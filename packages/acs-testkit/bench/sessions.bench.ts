/**
 * Benchmark of the test ACS itself: how many complete CWMP sessions per second it serves on
 * loopback (Inform, empty POST, one GetParameterValues and its response, 204) with 1 and with
 * 50 concurrent CPEs, and the heap held per open session (1,000 sessions left open). The
 * figures say how large a simulated fleet one testkit can carry in a test.
 *
 * Run: `pnpm bench sessions`.
 */
import { encodeEnvelope, type Inform } from "@cpekit/core";
import { Agent, request } from "undici";
import { startTestAcs } from "../src/index.js";

const informOf = (serial: string): Inform => ({
  _tag: "Inform",
  deviceId: { manufacturer: "Acme", oui: "00D09E", productClass: "Bench", serialNumber: serial },
  event: [{ eventCode: "2 PERIODIC", commandKey: "" }],
  maxEnvelopes: 1,
  currentTime: "2026-01-01T00:00:00Z",
  retryCount: 0,
  parameterList: [{ name: "Device.DeviceInfo.SoftwareVersion", value: "1.0", type: "string" }],
});

const post = async (agent: Agent, url: string, body: string, cookie?: string) => {
  const res = await request(url, {
    method: "POST",
    body,
    dispatcher: agent,
    headers: { "content-type": "text/xml", ...(cookie ? { cookie } : {}) },
  });
  const text = await res.body.text();
  const set = res.headers["set-cookie"];
  return {
    status: res.statusCode,
    text,
    cookie: (Array.isArray(set) ? set[0] : set)?.split(";")[0],
  };
};

const idOf = (xml: string) => /<cwmp:ID[^>]*>([^<]*)</.exec(xml)?.[1] ?? "";

const oneSession = async (
  acs: Awaited<ReturnType<typeof startTestAcs>>,
  agent: Agent,
  serial: string,
) => {
  const answer = acs.call(`00D09E-Bench-${serial}`, {
    _tag: "GetParameterValues",
    parameterNames: ["Device.DeviceInfo."],
  });
  const inform = await post(
    agent,
    acs.url,
    encodeEnvelope({ header: { id: "1" }, body: informOf(serial), version: "1.2" }),
  );
  const rpc = await post(agent, acs.url, "", inform.cookie);
  const response = encodeEnvelope({
    header: { id: idOf(rpc.text) },
    body: { _tag: "GetParameterValuesResponse", parameterList: informOf(serial).parameterList },
    version: "1.2",
  });
  const end = await post(agent, acs.url, response, inform.cookie);
  if (end.status !== 204) throw new Error(`session ended with ${end.status}`);
  await answer;
};

const throughput = async (concurrency: number, total: number) => {
  const acs = await startTestAcs({ profile: "genieacs" });
  // One connection per CPE, as real CPEs have (GenieACS binds sessions to connections).
  const agents = Array.from({ length: concurrency }, () => new Agent({ connections: 1 }));
  const started = performance.now();
  let next = 0;
  await Promise.all(
    agents.map(async (agent) => {
      while (next < total) await oneSession(acs, agent, String(next++));
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(agents.map((a) => a.close()));
  await acs.stop();
  console.log(
    `${concurrency} concurrent CPE(s): ${total} sessions in ${seconds.toFixed(2)} s = ${(total / seconds).toFixed(0)} sessions/s (${((seconds * 1000 * concurrency) / total).toFixed(2)} ms per session per CPE)`,
  );
};

const heapPerOpenSession = async (n: number) => {
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  const acs = await startTestAcs({ sessionTimeoutMs: 600_000 });
  const agent = new Agent({ connections: 50 });
  const open = async (from: number, count: number) => {
    for (let i = from; i < from + count; i += 50)
      await Promise.all(
        Array.from({ length: Math.min(50, from + count - i) }, (_, j) =>
          post(
            agent,
            acs.url,
            encodeEnvelope({ header: { id: "1" }, body: informOf(`h${i + j}`), version: "1.2" }),
          ),
        ),
      );
  };
  await open(0, 100); // warm-up: code paths compiled, pools allocated
  for (let i = 0; i < 3; i++) gc();
  const before = process.memoryUsage().heapUsed;
  await open(100, n);
  for (let i = 0; i < 3; i++) gc();
  const after = process.memoryUsage().heapUsed;
  console.log(
    `${n} more open sessions (${acs.openSessions()} in all): ${((after - before) / n / 1024).toFixed(1)} KiB heap each, transcript entry included`,
  );
  await agent.close();
  await acs.stop();
};

await throughput(1, 300);
await throughput(50, 2_000);
await heapPerOpenSession(1_000);
