/**
 * A calibration, not a CPE: the HTTP traffic of one `pnpm bench fleet` session (a node:http
 * connection-request server answering 200, then an undici `Client` per session posting an
 * Inform, the empty POST and a GetParameterValuesResponse, then destroyed) with no protocol
 * logic, fixed XML and no authentication. Run in place of the CLI, it measures what the same
 * sockets cost on the machine at hand, the floor under any CPE built on node:http and undici:
 *
 * `BENCH_CLI_MAIN=packages/transport-http/bench/http-floor-cpe.ts BENCH_NODE_OPTIONS="--import tsx"
 *  BENCH_FLEET_COUNT=0 BENCH_PROFILES=home-gateway pnpm bench fleet`
 *
 * Arguments as the CLI's: `run <profile.json>` (the ACS URL and serial number are read from it).
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Client } from "undici";

const profile = JSON.parse(readFileSync(process.argv[3] ?? "", "utf8")) as {
  acs: { url: string };
  device: { serialNumber: string };
};
const acs = new URL(profile.acs.url);
const serial = profile.device.serialNumber;
let crUrl = "";

const envelope = (body: string) =>
  `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-0"><soapenv:Header><cwmp:ID soapenv:mustUnderstand="1">1</cwmp:ID></soapenv:Header><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;
const inform = (code: string) =>
  envelope(
    `<cwmp:Inform><DeviceId><Manufacturer>m</Manufacturer><OUI>00CAFE</OUI><ProductClass>p</ProductClass><SerialNumber>${serial}</SerialNumber></DeviceId><Event><EventStruct><EventCode>${code}</EventCode><CommandKey></CommandKey></EventStruct></Event><MaxEnvelopes>1</MaxEnvelopes><CurrentTime>2026-01-01T00:00:00Z</CurrentTime><RetryCount>0</RetryCount><ParameterList><ParameterValueStruct><Name>Device.ManagementServer.ConnectionRequestURL</Name><Value>${crUrl}</Value></ParameterValueStruct></ParameterList></cwmp:Inform>`,
  );
const values = (names: readonly string[]) =>
  envelope(
    `<cwmp:GetParameterValuesResponse><ParameterList>${names.map((n) => `<ParameterValueStruct><Name>${n}</Name><Value>v</Value></ParameterValueStruct>`).join("")}</ParameterList></cwmp:GetParameterValuesResponse>`,
  );

const session = async (code: string) => {
  const client = new Client(acs.origin, { pipelining: 1 });
  const post = async (body: string) => {
    const res = await client.request({
      method: "POST",
      path: acs.pathname,
      headers: { "content-type": "text/xml" },
      body,
    });
    return res.body.text();
  };
  await post(inform(code));
  const asked = await post("");
  const names = [...asked.matchAll(/<string>([^<]*)</g)].map((m) => m[1] ?? "");
  await post(values(names.length > 0 ? names : ["Device.DeviceInfo.UpTime"]));
  await client.destroy();
};

// One session at a time; requests during a session give one more session after it.
let busy = false;
let again = false;
const run = async (code: string): Promise<void> => {
  if (busy) {
    again = true;
    return;
  }
  busy = true;
  try {
    await session(code);
  } finally {
    busy = false;
    if (again) {
      again = false;
      void run("6 CONNECTION REQUEST");
    }
  }
};

const server = createServer((req, res) => {
  req.resume();
  res.writeHead(200, { "content-length": "0" }).end(() => void run("6 CONNECTION REQUEST"));
});
server.listen(0, "127.0.0.1", () => {
  crUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cr`;
  void run("1 BOOT");
});
process.on("SIGTERM", () => process.exit(0));
