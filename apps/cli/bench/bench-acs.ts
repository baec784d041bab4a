/**
 * The benchmark's ACS: a minimal CWMP server on node:http, run in its own process (forked by
 * `fleet.bench.ts`, commands and reports over IPC) so that its CPU never mixes with the CPE's.
 *
 * Per session: Inform -> InformResponse, empty POST -> GetParameterValues of 10 names, the
 * response -> 204. Sessions are started by connection requests (HTTP GET to the device's
 * ConnectionRequestURL, learnt from its Inform), answering a Digest or Basic challenge as the
 * device demands; a Digest nonce is reused with a rising `nc` until the device refuses it, as
 * a busy ACS would. Pacing is per device: one session at a time, the next connection request
 * only after the previous session's 204 (back to back) or at a fixed rate per device (a
 * request that finds the previous session still open counts as an overrun). A 503, any other
 * refusal, a fault from the CPE or a session that does not end in time counts as a failure.
 *
 * It speaks CWMP with string templates and regular expressions, not cpekit's codec: the ACS
 * must cost little and must not share code with what it measures.
 * @module
 */
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, request } from "node:http";
import type { Socket } from "node:net";

/** A device the ACS can start sessions on. */
export interface BenchDevice {
  readonly serialNumber: string;
  readonly connectionRequestUrl: string;
  readonly username: string;
  readonly password: string;
}

/** How to drive the devices. */
export type DrivePlan =
  | {
      readonly kind: "backToBack";
      readonly sessions: number;
      readonly timeoutMs: number;
      /** Least time between two connection requests to one device (to stay under a rate limit). */
      readonly minIntervalMs?: number;
    }
  | {
      readonly kind: "paced";
      /** Connection requests per second, per device. */
      readonly ratePerDevice: number;
      readonly durationMs: number;
    };

/** Commands from the benchmark. */
export type AcsCommand =
  | { readonly type: "drive"; readonly devices: readonly BenchDevice[]; readonly plan: DrivePlan }
  | { readonly type: "stop" };

/** What a drive produced. */
export interface DriveResult {
  readonly sessions: number;
  readonly failures: Readonly<Record<string, number>>;
  readonly wallMs: number;
  /** Connection request sent to the 204, ms. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Digest or Basic challenges answered (a 401 before an accepted request). */
  readonly challenges: number;
}

/** Reports to the benchmark. */
export type AcsReport =
  | { readonly type: "listening"; readonly url: string }
  | {
      readonly type: "inform";
      readonly serialNumber: string;
      readonly connectionRequestUrl: string;
      readonly events: readonly string[];
    }
  | ({ readonly type: "driven" } & DriveResult);

const SESSION_TIMEOUT_MS = 10_000;

const send = (report: AcsReport) => process.send?.(report);

const envelope = (ns: string, id: string, body: string) =>
  `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:cwmp="${ns}"><soapenv:Header><cwmp:ID soapenv:mustUnderstand="1">${id}</cwmp:ID></soapenv:Header><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;

const gpv = (names: readonly string[]) =>
  `<cwmp:GetParameterValues><ParameterNames soapenc:arrayType="xsd:string[${names.length}]">${names.map((n) => `<string>${n}</string>`).join("")}</ParameterNames></cwmp:GetParameterValues>`;

const first = (re: RegExp, text: string) => re.exec(text)?.[1];
const methodOf = (xml: string) => first(/<(?:[\w-]+:)?Body[^>]*>\s*<(?:[\w-]+:)?(\w+)/, xml);
const cwmpNamespace = (xml: string) =>
  first(/"(urn:dslforum-org:cwmp-1-\d)"/, xml) ?? "urn:dslforum-org:cwmp-1-0";

/** A session as the ACS follows it, keyed by the TCP connection the CPE posts on. */
interface AcsSession {
  serialNumber: string;
  ns: string;
  /** The data model's root (`Device`, `InternetGatewayDevice`). */
  root: string;
  learning: boolean;
}

/** A device's pending connection request: resolved by its session's 204. */
interface Waiter {
  readonly resolve: (outcome: string | undefined) => void;
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });

const md5 = (s: string) => createHash("md5").update(s).digest("hex");

const parseChallenge = (header: string) => {
  const params: Record<string, string> = {};
  for (const m of header.matchAll(/(\w+)=(?:"([^"]*)"|([^\s,]+))/g))
    params[(m[1] ?? "").toLowerCase()] = m[2] ?? m[3] ?? "";
  return params;
};

/** The client side of connection requests for one device: remembers its Digest nonce. */
class ConnectionRequester {
  private digest: Record<string, string> | undefined;
  private basic = false;
  private nc = 0;
  challenges = 0;

  constructor(private readonly device: BenchDevice) {}

  private authorization(path: string): string | undefined {
    const { username, password } = this.device;
    if (this.basic) return `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
    const d = this.digest;
    if (d === undefined) return undefined;
    const nc = (++this.nc).toString(16).padStart(8, "0");
    const cnonce = randomBytes(8).toString("hex");
    const ha1 = md5(`${username}:${d.realm}:${password}`);
    const ha2 = md5(`GET:${path}`);
    const response = md5(`${ha1}:${d.nonce}:${nc}:${cnonce}:auth:${ha2}`);
    return `Digest username="${username}", realm="${d.realm}", nonce="${d.nonce}", uri="${path}", qop=auth, nc=${nc}, cnonce="${cnonce}", response="${response}", algorithm=MD5${d.opaque === undefined ? "" : `, opaque="${d.opaque}"`}`;
  }

  private get(authorization: string | undefined) {
    const url = new URL(this.device.connectionRequestUrl);
    return new Promise<{ status: number; challenge: string | undefined }>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          method: "GET",
          agent: false,
          headers: authorization === undefined ? {} : { authorization },
        },
        (res) => {
          res.resume();
          const challenge = res.headers["www-authenticate"];
          res.on("end", () =>
            resolve({
              status: res.statusCode ?? 0,
              challenge: Array.isArray(challenge) ? challenge[0] : challenge,
            }),
          );
        },
      );
      req.setTimeout(SESSION_TIMEOUT_MS, () => req.destroy(new Error("timeout")));
      req.on("error", reject);
      req.end();
    });
  }

  /** Sends one connection request; resolves with its final status (after any challenge). */
  async send(): Promise<number> {
    const path = new URL(this.device.connectionRequestUrl).pathname;
    let answer = await this.get(this.authorization(path));
    if (answer.status === 401 && answer.challenge !== undefined) {
      this.challenges++;
      this.basic = /^\s*basic/i.test(answer.challenge);
      this.digest = this.basic ? undefined : parseChallenge(answer.challenge);
      this.nc = 0;
      answer = await this.get(this.authorization(path));
    }
    return answer.status;
  }
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted.length === 0
    ? 0
    : (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0);

const main = async () => {
  const sessionOf = new WeakMap<Socket, AcsSession>();
  const waiters = new Map<string, Waiter>();
  /** 10 names per root, learnt from the first device's bootstrap session. */
  const namesOf = new Map<string, string[]>();

  const endSession = (serialNumber: string, outcome: string | undefined) => {
    const waiter = waiters.get(serialNumber);
    waiters.delete(serialNumber);
    waiter?.resolve(outcome);
  };

  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const socket = req.socket;
    const method = body.trim() === "" ? undefined : methodOf(body);
    let session = sessionOf.get(socket);
    const reply = (xml: string | undefined) => {
      if (xml === undefined) res.writeHead(204).end();
      else res.writeHead(200, { "content-type": "text/xml; charset=utf-8" }).end(xml);
    };
    if (method === "Inform") {
      const serialNumber = first(/<SerialNumber>([^<]*)</, body) ?? "";
      const crUrl = first(/ConnectionRequestURL<\/Name>\s*<Value[^>]*>([^<]*)</, body) ?? "";
      const events = [...body.matchAll(/<EventCode>([^<]*)</g)].map((m) => m[1] ?? "");
      const root = first(/<Name>(\w+)\./, body) ?? "Device";
      session = {
        serialNumber,
        ns: cwmpNamespace(body),
        root,
        learning: !namesOf.has(root),
      };
      sessionOf.set(socket, session);
      if (events.some((e) => /BOOT/.test(e)))
        send({ type: "inform", serialNumber, connectionRequestUrl: crUrl, events });
      const id = first(/<(?:[\w-]+:)?ID[^>]*>([^<]*)</, body) ?? "1";
      return reply(
        envelope(
          session.ns,
          id,
          "<cwmp:InformResponse><MaxEnvelopes>1</MaxEnvelopes></cwmp:InformResponse>",
        ),
      );
    }
    if (session === undefined) return reply(undefined);
    if (method === undefined) {
      const { root } = session;
      const names = session.learning
        ? [`${root}.DeviceInfo.`, `${root}.ManagementServer.`]
        : (namesOf.get(root) ?? []);
      return reply(envelope(session.ns, "gpv", gpv(names)));
    }
    sessionOf.delete(socket);
    if (method === "GetParameterValuesResponse") {
      if (session.learning) {
        const names = [...body.matchAll(/<Name>([^<]*)</g)].map((m) => m[1] ?? "");
        if (!namesOf.has(session.root)) namesOf.set(session.root, names.slice(0, 10));
      }
      reply(undefined);
      endSession(session.serialNumber, undefined);
      return;
    }
    reply(undefined);
    endSession(session.serialNumber, method === "Fault" ? "cpe fault" : `unexpected ${method}`);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  send({ type: "listening", url: `http://127.0.0.1:${port}/acs` });

  /** One session on `device`: connection request, then the session's 204 (or a failure). */
  const session = async (requester: ConnectionRequester, device: BenchDevice) => {
    if (waiters.has(device.serialNumber)) return "overrun (previous session still open)";
    let timer: NodeJS.Timeout | undefined;
    const ended = new Promise<string | undefined>((resolve) => {
      waiters.set(device.serialNumber, { resolve });
      timer = setTimeout(
        () => endSession(device.serialNumber, "session timeout"),
        SESSION_TIMEOUT_MS,
      );
    });
    let status: number;
    try {
      status = await requester.send();
    } catch (e) {
      status = 0;
      endSession(device.serialNumber, `connection request error (${(e as Error).message})`);
    }
    if (status !== 200 && status !== 0)
      endSession(device.serialNumber, `connection request ${status}`);
    const outcome = await ended;
    clearTimeout(timer);
    return outcome;
  };

  const drive = async (devices: readonly BenchDevice[], plan: DrivePlan): Promise<DriveResult> => {
    const requesters = devices.map((d) => new ConnectionRequester(d));
    const failures: Record<string, number> = {};
    const latencies: number[] = [];
    const started = performance.now();
    const one = async (i: number) => {
      const device = devices[i] as BenchDevice;
      const t0 = performance.now();
      const outcome = await session(requesters[i] as ConnectionRequester, device);
      if (outcome === undefined) latencies.push(performance.now() - t0);
      else failures[outcome] = (failures[outcome] ?? 0) + 1;
    };
    if (plan.kind === "backToBack") {
      // Devices in parallel, each device's sessions one after another.
      const deadline = started + plan.timeoutMs;
      await Promise.all(
        devices.map(async (_, i) => {
          for (let n = 0; n < plan.sessions && performance.now() < deadline; n++) {
            const t0 = performance.now();
            await one(i);
            const wait = (plan.minIntervalMs ?? 0) - (performance.now() - t0);
            if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          }
        }),
      );
    } else {
      const period = 1000 / plan.ratePerDevice;
      const inFlight: Promise<void>[] = [];
      await Promise.all(
        devices.map(
          (_, i) =>
            new Promise<void>((resolve) => {
              // Each device keeps its own phase, spread over the period.
              let next = started + Math.random() * period;
              const tick = () => {
                if (next - started >= plan.durationMs) return resolve();
                inFlight.push(one(i));
                next += period;
                setTimeout(tick, Math.max(0, next - performance.now()));
              };
              setTimeout(tick, Math.max(0, next - performance.now()));
            }),
        ),
      );
      await Promise.all(inFlight);
    }
    latencies.sort((a, b) => a - b);
    return {
      sessions: latencies.length,
      failures,
      wallMs: performance.now() - started,
      p50Ms: percentile(latencies, 0.5),
      p99Ms: percentile(latencies, 0.99),
      challenges: requesters.reduce((sum, r) => sum + r.challenges, 0),
    };
  };

  process.on("message", (command: AcsCommand) => {
    if (command.type === "stop") {
      server.closeAllConnections();
      server.close();
      process.disconnect();
      return;
    }
    void drive(command.devices, command.plan).then((result) => send({ type: "driven", ...result }));
  });
};

void main();
