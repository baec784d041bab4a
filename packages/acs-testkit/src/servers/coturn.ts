/**
 * A real STUN server for tests and conformance runs: Debian's coturn (`turnserver`), in
 * STUN-only mode on 127.0.0.1 with a generated configuration and a free port, started and
 * stopped by its user.
 * `--log-binding` with verbose logging makes it write the remote address of every Binding
 * Request, which is what the test compares the agent's binding with.
 *
 * Where `turnserver` is missing its users skip with the reason; under CI
 * (`CPEKIT_REQUIRE_SERVERS=1`, set by `.ci/run`, which installs coturn) they fail instead
 * (see `servers-required.ts`).
 * @module
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import * as dgram from "node:dgram";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import * as net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Why coturn cannot run here, or `undefined` when it can. */
export const coturnUnavailable = (): string | undefined => {
  const r = spawnSync("turnserver", ["--version"], { encoding: "utf8", timeout: 10_000 });
  return r.error === undefined && r.status === 0
    ? undefined
    : "no turnserver on PATH (Debian: apt-get install -y coturn)";
};

/** A running coturn. */
export interface Coturn {
  readonly host: "127.0.0.1";
  readonly port: number;
  /** `address:port` of every client whose Binding Request coturn logged, in order. */
  readonly clientsSeen: () => Promise<readonly string[]>;
  readonly stop: () => Promise<void>;
}

/** A port free for both UDP and TCP on 127.0.0.1 (coturn opens both). */
const freePort = async (): Promise<number> => {
  for (let attempt = 0; attempt < 20; attempt++) {
    const udp = dgram.createSocket("udp4");
    const port = await new Promise<number>((resolve) =>
      udp.bind(0, "127.0.0.1", () => resolve(udp.address().port)),
    );
    const tcpFree = await new Promise<boolean>((resolve) => {
      const s = net.createServer();
      s.once("error", () => resolve(false));
      s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
    });
    await new Promise<void>((resolve) => udp.close(() => resolve()));
    if (tcpFree) return port;
  }
  throw new Error("no free port for coturn");
};

/** Whether the server answers a plain Binding Request. */
const answers = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = dgram.createSocket("udp4");
    const request = Buffer.alloc(20);
    request.writeUInt16BE(1, 0);
    request.writeUInt32BE(0x2112a442, 4);
    const timer = setTimeout(() => {
      s.close();
      resolve(false);
    }, 200);
    s.on("message", () => {
      clearTimeout(timer);
      s.close();
      resolve(true);
    });
    s.send(request, port, "127.0.0.1");
  });

/** Starts coturn; waits (at most 10 s) until it answers on its port. */
export const startCoturn = async (): Promise<Coturn> => {
  const dir = await mkdtemp(join(tmpdir(), "cpekit-coturn-"));
  const port = await freePort();
  const log = join(dir, "turn.log");
  const config = [
    "listening-ip=127.0.0.1",
    "relay-ip=127.0.0.1",
    `listening-port=${port}`,
    "stun-only",
    "no-tcp",
    "no-tls",
    "no-dtls",
    "no-cli",
    "no-auth",
    "no-software-attribute",
    "no-rfc5780",
    "log-binding",
    "verbose",
    "simple-log",
    `log-file=${log}`,
    "no-stdout-log",
    `pidfile=${join(dir, "turn.pid")}`,
    `userdb=${join(dir, "turn.db")}`,
  ].join("\n");
  await writeFile(join(dir, "turnserver.conf"), `${config}\n`);
  const child: ChildProcess = spawn("turnserver", ["-c", join(dir, "turnserver.conf")], {
    stdio: "ignore",
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) {
      const text = await readFile(log, "utf8").catch(() => "");
      await stop();
      throw new Error(`turnserver exited with ${child.exitCode}: ${text.slice(-2000)}`);
    }
    if (await answers(port)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`turnserver did not answer on 127.0.0.1:${port} within 10 s`);
    }
  }
  const clientsSeen = async () => {
    const text = await readFile(log, "utf8").catch(() => "");
    return [...text.matchAll(/remote addr (\d+\.\d+\.\d+\.\d+:\d+)/g)].map((m) => m[1] as string);
  };
  return { host: "127.0.0.1", port, clientsSeen, stop };
};
