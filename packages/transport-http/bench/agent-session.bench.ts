/**
 * CPU time of one CWMP session on the agent side, and back-to-back sessions per second, for a
 * real agent (`makeAgent` + this package's ACS client and JSON file store, Device:2
 * cellular-module data model) in its own process (`src/durability/agent-child.ts`) against a
 * minimal ACS written here on node:http (127.0.0.1, port 0).
 *
 * A session: Inform (with `6 CONNECTION REQUEST`) -> InformResponse, empty POST ->
 * GetParameterValues of 50 names -> SetParameterValues of 5 values -> final 204. The agent
 * starts the next session as soon as one ends (an in-process connection request), so the
 * child's `process.cpuUsage()` over the measured sessions is the agent's CPU alone, and the
 * ACS (this process) stays out of it. The same run is repeated with an in-memory store, to
 * show what the durable store (an atomic, fsynced write per save) costs.
 *
 * Run: `pnpm bench agent-session`.
 */

import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CwmpMessage, decodeEnvelope, encodeEnvelope } from "@cpekit/core";
import { Either } from "effect";
import { agentChildSource } from "../src/durability/agent-child-bundle.js";
import type { AgentChildReport } from "../src/durability/agent-child-config.js";
import { startAgentProcess } from "../src/durability/agent-process.js";

const WARMUP = 30;
const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 200);

/** Five writable values, changed every session so that each SetParameterValues writes. */
const settings = (n: number) => [
  { name: "Device.DeviceInfo.ProvisioningCode", value: `pc-${n}`, type: "string" },
  { name: "Device.Time.NTPServer1", value: `ntp${n}.example.net`, type: "string" },
  { name: "Device.Time.NTPServer2", value: `ntp${n + 1}.example.net`, type: "string" },
  { name: "Device.Time.LocalTimeZone", value: n % 2 === 0 ? "UTC" : "CET-1CEST", type: "string" },
  { name: "Device.Cellular.RoamingEnabled", value: String(n % 2 === 0), type: "boolean" },
];

/** What the ACS sends next in a session, given what the CPE just posted. */
const nextRequest = (
  posted: CwmpMessage | undefined,
  session: number,
  names: string[],
): CwmpMessage | undefined => {
  if (posted?._tag === "Inform") return { _tag: "InformResponse", maxEnvelopes: 1 };
  // Session 1 adds a table row and session 2 learns 50 names; the measured ones come later.
  if (posted === undefined)
    return session === 1
      ? { _tag: "AddObject", objectName: "Device.IP.Interface.", parameterKey: "" }
      : { _tag: "GetParameterValues", parameterNames: session === 2 ? ["Device."] : names };
  if (posted._tag === "GetParameterValuesResponse") {
    if (session === 2) names.push(...posted.parameterList.slice(0, 50).map((p) => p.name));
    return {
      _tag: "SetParameterValues",
      parameterList: settings(session),
      parameterKey: `k${session}`,
    };
  }
  return undefined;
};

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });

/** The minimal ACS: one session per TCP connection (the agent's client opens one per session). */
const startAcs = async () => {
  const names: string[] = [];
  const sessionOf = new WeakMap<Socket, number>();
  let sessions = 0;
  let faults = 0;
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    let session = sessionOf.get(req.socket);
    if (session === undefined) {
      session = ++sessions;
      sessionOf.set(req.socket, session);
    }
    const decoded = body === "" ? undefined : decodeEnvelope(body);
    if (decoded !== undefined && Either.isLeft(decoded)) faults++;
    const posted =
      decoded !== undefined && Either.isRight(decoded) ? decoded.right.envelope.body : undefined;
    if (posted?._tag === "Fault") faults++;
    const reply = nextRequest(posted, session, names);
    if (reply === undefined) {
      res.writeHead(204).end();
      return;
    }
    const xml = encodeEnvelope({ header: { id: `acs-${session}` }, body: reply, version: "1.4" });
    res.writeHead(200, { "Content-Type": "text/xml; charset=utf-8" }).end(xml);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/acs`,
    names,
    faults: () => faults,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
};

/** One measured run: a fresh ACS and agent child, `memoryStore` or the JSON file store. */
const measure = async (memoryStore: boolean) => {
  const dir = await mkdtemp(join(tmpdir(), "cpekit-bench-"));
  const acs = await startAcs();
  const child = startAgentProcess(agentChildSource, {
    storePath: join(dir, "device.json"),
    acsUrl: acs.url,
    serialNumber: "BENCH1",
    run: 1,
    periodicInformSeconds: 0,
    applyDelayMs: 0,
    memoryStore,
    bench: { warmup: WARMUP, sessions: SESSIONS },
  });
  const figures = await new Promise<Extract<AgentChildReport, { type: "bench" }> | undefined>(
    (resolve) => {
      child.onReport((r) => {
        if (r.type === "bench") resolve(r);
      });
      void child.exited.then(() => resolve(undefined));
    },
  );
  const exit = await child.exited;
  await acs.close();
  await rm(dir, { recursive: true, force: true });
  if (figures === undefined)
    throw new Error(
      `agent child ended without figures (${exit.code ?? exit.signal}): ${exit.stderr}`,
    );
  return { figures, names: acs.names.length, faults: acs.faults() };
};

const print = (label: string, run: Awaited<ReturnType<typeof measure>>) => {
  const { figures } = run;
  const perSession = (micros: number) => (micros / 1000 / figures.sessions).toFixed(2);
  const cpuMicros = figures.userMicros + figures.systemMicros;
  console.log(`${label}`);
  console.log(
    `  agent CPU per session    ${perSession(cpuMicros)} ms (user ${perSession(figures.userMicros)}, system ${perSession(figures.systemMicros)})`,
  );
  console.log(
    `  sessions per second      ${((figures.sessions * 1000) / figures.wallMs).toFixed(1)} (one agent, back to back; wall ${figures.wallMs.toFixed(0)} ms)`,
  );
  console.log(
    `  agent CPU share of wall  ${((100 * cpuMicros) / 1000 / figures.wallMs).toFixed(0)} %`,
  );
  if (run.faults > 0)
    console.log(`  WARNING: ${run.faults} faults or undecodable bodies from the agent`);
};

const main = async () => {
  const json = await measure(false);
  const memory = await measure(true);
  console.log(
    `agent session = Inform + GetParameterValues of ${json.names} + SetParameterValues of 5 + empty POST; ${SESSIONS} sessions measured after ${WARMUP} warm-up; agent in its own process, ACS (node:http) in this one, loopback`,
  );
  print("JSON file store (atomic write + fsync per save)", json);
  print("in-memory store (same agent, no disk)", memory);
};

void main().catch((e: unknown) => {
  console.error(String(e));
  process.exit(1);
});
