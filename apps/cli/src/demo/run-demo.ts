/**
 * `cpekit demo` end to end: a test ACS and one device on loopback with a temporary store, the
 * tour, then the transcript and the sequence diagram written to the output folder. The outputs
 * are written even when a step fails, so the failure can be read in them.
 * @module
 */
import * as dgram from "node:dgram";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { deviceKeyOf, makeTestAcs, type TestAcsApi } from "@cpekit/acs-testkit";
import { Deferred, Duration, Effect, Either, ExecutionStrategy, Exit, Scope } from "effect";
import type { DeviceEventSink } from "../device/device-event.js";
import { deviceSpecOf } from "../device/device-spec.js";
import { startDevice } from "../device/start-device.js";
import { deviceLogLines } from "../output/device-log.js";
import { decodeProfile } from "../profile/load-profile.js";
import type { DemoDevice } from "./demo-device.js";
import { DemoError } from "./demo-error.js";
import { type DemoLog, makeDemoLog } from "./demo-log.js";
import { playTour, type TourResult } from "./demo-tour.js";
import { diagramPage, sequenceDiagram } from "./sequence-diagram.js";

/** Options of a demo run. */
export interface DemoOptions {
  readonly device: DemoDevice;
  /** Folder for `sessions.html`, `sessions.mmd`, `transcript.txt`, `transcript.json`. */
  readonly outDir: string;
  readonly stepTimeoutMs: number;
  readonly verbose: boolean;
  readonly out: (line: string) => void;
}

/** The files a demo run wrote. */
export interface DemoOutputs {
  readonly html: string;
  readonly mermaid: string;
  readonly text: string;
  readonly json: string;
}

const writeOutputs = (
  acs: TestAcsApi,
  log: DemoLog,
  outDir: string,
  deviceLabel: string,
): Effect.Effect<DemoOutputs, DemoError> =>
  Effect.tryPromise({
    try: async () => {
      const dir = resolve(outDir);
      await mkdir(dir, { recursive: true });
      const files: DemoOutputs = {
        html: join(dir, "sessions.html"),
        mermaid: join(dir, "sessions.mmd"),
        text: join(dir, "transcript.txt"),
        json: join(dir, "transcript.json"),
      };
      log.flush();
      const mmd = sequenceDiagram(acs.transcript.entries(), log.notes(), deviceLabel);
      const text = `${log.lines().join("\n")}\n`;
      await writeFile(files.mermaid, mmd);
      await writeFile(files.html, diagramPage("cpekit demo: CWMP sessions", mmd, text));
      await writeFile(files.text, text);
      await writeFile(files.json, acs.transcript.toJson());
      return files;
    },
    catch: (cause) =>
      new DemoError({
        step: "write the outputs",
        detail: `cannot write to ${outDir}: ${String(cause)}`,
        cause,
      }),
  });

/** A temporary folder for the device's store, removed with the scope. */
const tempStoreDir = Effect.acquireRelease(
  Effect.tryPromise({
    try: () => mkdtemp(join(tmpdir(), "cpekit-demo-")),
    catch: (cause) =>
      new DemoError({
        step: "prepare",
        detail: `cannot create a temporary folder: ${String(cause)}`,
      }),
  }),
  (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true })),
);

/**
 * A free UDP port on 127.0.0.1, picked once by binding port 0 and closing the socket: the demo
 * device binds it in each of its lives, so its UDPConnectionRequestAddress does not change.
 */
const freeUdpPort = Effect.async<number, DemoError>((resume) => {
  const socket = dgram.createSocket("udp4");
  socket.once("error", (cause) => {
    socket.close();
    resume(
      Effect.fail(
        new DemoError({
          step: "prepare",
          detail: `cannot pick a UDP port on 127.0.0.1: ${String(cause)}`,
          cause,
        }),
      ),
    );
  });
  socket.bind(0, "127.0.0.1", () => {
    const { port } = socket.address();
    socket.close(() => resume(Effect.succeed(port)));
  });
});

/**
 * Runs the demo; succeeds with the tour's result and the files written, or fails with the step
 * that broke (the files are written in both cases when the ACS started).
 */
export const runDemo = (
  options: DemoOptions,
): Effect.Effect<{ readonly tour: TourResult; readonly files: DemoOutputs }, DemoError> =>
  Effect.scoped(
    Effect.gen(function* () {
      const storeDir = yield* tempStoreDir;
      const acs = yield* Effect.mapError(
        makeTestAcs(),
        (e) => new DemoError({ step: "start the test ACS", detail: e.message, cause: e }),
      );
      const storePath = join(storeDir, "device.json");
      const udpPort = yield* freeUdpPort;
      const profile = options.device.profile(acs.url, storePath, udpPort);
      const spec = Either.flatMap(decodeProfile(profile, "(demo profile)"), (l) =>
        deviceSpecOf(l, join(storeDir, "demo-profile.yaml")),
      );
      if (Either.isLeft(spec))
        return yield* new DemoError({ step: "prepare", detail: spec.left.message });
      const log = makeDemoLog(acs.transcript, options.out);
      options.out(`cpekit demo: ${options.device.description}, test ACS at ${acs.url}`);
      let deviceLabel = "CPE";
      // Device reports interleave with the transcript, in the order things happened.
      const sink: DeviceEventSink = (event) => {
        if (event.type === "traffic" && !options.verbose) return;
        if (event.type === "started") return;
        for (const line of deviceLogLines(event, options.verbose)) log.device(`device: ${line}`);
      };
      // The device lives in its own scope, closed before the outputs are written, so its last
      // exchanges are in the transcript.
      const deviceScope = yield* Scope.fork(yield* Effect.scope, ExecutionStrategy.sequential);
      const deviceFailed = yield* Deferred.make<never, DemoError>();
      const start = Effect.gen(function* () {
        const handle = yield* Effect.mapError(
          Scope.extend(startDevice(spec.right, sink), deviceScope),
          (e) => new DemoError({ step: "start the device", detail: e.message, cause: e }),
        );
        deviceLabel = `CPE ${deviceKeyOf(handle.deviceId)}`;
        // The device dying ends the tour at once (its error names why).
        yield* Effect.forkIn(
          Effect.catchAll(handle.failed, (e) =>
            Deferred.fail(
              deviceFailed,
              new DemoError({ step: "device", detail: e.message, cause: e }),
            ),
          ),
          deviceScope,
        );
        return handle;
      });
      const tour = yield* Effect.exit(
        Effect.raceFirst(
          playTour({
            acs,
            device: options.device,
            start,
            log,
            stepTimeoutMs: options.stepTimeoutMs,
          }),
          Deferred.await(deviceFailed),
        ),
      );
      // Bounded: a device that does not close must not keep the outputs from being written.
      yield* Scope.close(deviceScope, Exit.void).pipe(
        Effect.timeout(Duration.seconds(10)),
        Effect.ignore,
      );
      const files = yield* writeOutputs(acs, log, options.outDir, deviceLabel);
      if (Exit.isFailure(tour)) return yield* Effect.failCause(tour.cause);
      return { tour: tour.value, files };
    }),
  );
