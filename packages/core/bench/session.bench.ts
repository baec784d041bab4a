/**
 * Session figures (the session machine over an in-memory ACS, the real SOAP codec and the
 * built-in RPC registry):
 * 1. Sessions per second and CPU per session, one after another: Inform, empty POST, one
 *    GetParameterValues, 204; POSTs through the connection's Effect `post`, then its plain
 *    `postNow` (what the ACS client offers on the live clock), two rounds alternated.
 * 2. 1,000 sessions at once: wall time, and heap bytes per session while all of them wait for
 *    the ACS (what a fleet of simulated devices costs when the ACS is slow).
 * Run with `pnpm bench session`.
 */
import { Deferred, Effect, Layer } from "effect";
import type { AcsConnection, AcsResponse } from "../src/ports/acs-transport.js";
import { AcsTransport } from "../src/ports/acs-transport.js";
import { makeBuiltInRpcRegistry } from "../src/rpc/built-in-handlers.js";
import type { RpcDataModel } from "../src/rpc/rpc-data-model.js";
import { runSession } from "../src/session/run-session.js";
import type { SessionInput } from "../src/session/session-io.js";
import { encodeEnvelope } from "../src/soap/encode-envelope.js";
import type { CwmpMessage } from "../src/soap/messages.js";

const dataModel: RpcDataModel = {
  getParameterValues: (names) =>
    Effect.succeed(names.map((name) => ({ name, value: "SN0001", type: "string" }))),
  getParameterNames: () => Effect.succeed([]),
  setParameterValues: () => Effect.succeed(0),
  getParameterAttributes: () => Effect.succeed([]),
  setParameterAttributes: () => Effect.void,
  addObject: () => Effect.succeed({ instanceNumber: 1, status: 0 }),
  deleteObject: () => Effect.succeed(0),
};

const input = (serial: string): SessionInput => ({
  inform: {
    deviceId: {
      manufacturer: "Quectel",
      oui: "A1B2C3",
      productClass: "EC200U",
      serialNumber: serial,
    },
    event: [{ eventCode: "2 PERIODIC", commandKey: "" }],
    currentTime: "2026-11-27T21:00:00Z",
    retryCount: 0,
    parameterList: [
      { name: "Device.DeviceInfo.SoftwareVersion", value: "1.0.0", type: "string" },
      {
        name: "Device.ManagementServer.ConnectionRequestURL",
        value: "http://127.0.0.1:7547/",
        type: "string",
      },
    ],
  },
  version: "1.4",
});

const reply = (body: CwmpMessage | null, id?: string): AcsResponse => ({
  status: body === null ? 204 : 200,
  headers: {},
  body:
    body === null
      ? ""
      : encodeEnvelope({ header: id === undefined ? {} : { id }, body, version: "1.4" }),
});

/**
 * An ACS that answers by what it receives; `gate` (if any) holds the InformResponse. `plain`
 * also offers the answers as the plain POST (`postNow`) the ACS client offers on the live
 * clock, which the session then uses (no fiber per POST).
 */
const acsLayer = (gate?: Effect.Effect<void>, plain = false) =>
  Layer.succeed(AcsTransport, {
    open: () =>
      Effect.sync((): AcsConnection => {
        let answered = 0;
        // The fake ACS only sniffs the element name: the figures are the CPE side's.
        const answer = (body: string | null): AcsResponse => {
          const tag = body === null ? null : body.includes("<cwmp:Inform>") ? "Inform" : "other";
          if (tag === "Inform") return reply({ _tag: "InformResponse", maxEnvelopes: 1 });
          if (tag === null && answered++ === 0)
            return reply(
              { _tag: "GetParameterValues", parameterNames: ["Device.DeviceInfo.SerialNumber"] },
              "acs-1",
            );
          return reply(null);
        };
        return {
          url: Effect.succeed("http://127.0.0.1:7547/acs"),
          post: (body) =>
            body !== null && gate !== undefined && body.includes("<cwmp:Inform>")
              ? Effect.as(gate, answer(body))
              : Effect.sync(() => answer(body)),
          ...(plain ? { postNow: (body, settle) => settle.done(answer(body)) } : {}),
        };
      }),
  });

const registry = makeBuiltInRpcRegistry();
const session = (serial: string, gate?: Effect.Effect<void>, plain = false) =>
  Effect.provide(
    runSession({
      endpoint: { url: "http://127.0.0.1:7547/acs" },
      input: input(serial),
      registry,
      dataModel,
    }),
    acsLayer(gate, plain),
  );

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

const main = Effect.gen(function* () {
  // Warm-up, then sequential throughput and CPU per session: POSTs through the Effect `post`,
  // then through the plain `postNow` (as the ACS client on the live clock), alternated.
  const sequential = (label: string, plain: boolean) =>
    Effect.gen(function* () {
      for (let i = 0; i < 200; i++) yield* session(`W${i}`, undefined, plain);
      const n = 2_000;
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      for (let i = 0; i < n; i++) {
        const out = yield* session(`S${i}`, undefined, plain);
        if (out.outcome !== "done") throw new Error(`session failed: ${out.reason}`);
      }
      const cpu = process.cpuUsage(cpu0);
      const seq = performance.now() - t0;
      console.log(
        `sequential, ${label}: ${n} sessions in ${seq.toFixed(0)} ms = ${((n / seq) * 1000).toFixed(0)} sessions/s, ${((cpu.user + cpu.system) / n / 1000).toFixed(3)} ms CPU per session`,
      );
    });
  for (let round = 0; round < 2; round++) {
    yield* sequential("Effect post", false);
    yield* sequential("plain postNow", true);
  }

  // 1,000 sessions at once, all held at the InformResponse to measure live memory.
  const m = 1_000;
  const gate = yield* Deferred.make<void>();
  gc();
  const before = process.memoryUsage().heapUsed;
  const t1 = performance.now();
  const fiber = yield* Effect.fork(
    Effect.all(
      Array.from({ length: m }, (_, i) => session(`C${i}`, Deferred.await(gate))),
      { concurrency: "unbounded" },
    ),
  );
  yield* Effect.sleep("200 millis");
  gc();
  const during = process.memoryUsage().heapUsed;
  yield* Deferred.succeed(gate, undefined);
  const outs = yield* fiber.await.pipe(Effect.flatten);
  const conc = performance.now() - t1;
  const done = outs.filter((o) => o.outcome === "done").length;
  console.log(
    `concurrent: ${m} sessions (${done} done) in ${conc.toFixed(0)} ms (incl. 200 ms hold)`,
  );
  console.log(`heap per waiting session: ${((during - before) / m / 1024).toFixed(1)} KiB`);
});

Effect.runPromise(main).catch((e) => {
  console.error(e);
  process.exit(1);
});
