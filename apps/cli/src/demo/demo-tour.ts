/**
 * The demo's tour of the protocol, played through the test ACS's script API against a real
 * device (agent, transport, connection-request server, store) on loopback. Every step waits
 * for what really happened on the wire and checks it; every wait is bounded, so a broken step
 * fails with its name instead of hanging.
 * @module
 */
import {
  deviceKeyOf,
  type InformRecord,
  type SessionRecord,
  type TestAcsApi,
  type TestAcsError,
  type TranscriptEntry,
} from "@cpekit/acs-testkit";
import { type CwmpMessage, type EventStruct, encodeDeploymentUnitPackage } from "@cpekit/core";
import { Duration, Effect, Fiber } from "effect";
import type { DeviceHandle } from "../device/start-device.js";
import { describeMessage } from "../output/describe-message.js";
import type { DemoDevice } from "./demo-device.js";
import {
  demoConnectionRequestCredentials,
  demoUdpConnectionRequestAddress,
} from "./demo-device.js";
import { DemoError } from "./demo-error.js";
import type { DemoLog } from "./demo-log.js";

/** What the tour plays with. */
export interface TourSetup {
  readonly acs: TestAcsApi;
  readonly device: DemoDevice;
  /** Starts the device (called once, after the first session's RPCs are queued). */
  readonly start: Effect.Effect<DeviceHandle, DemoError>;
  readonly log: DemoLog;
  /** Bound of every wait, in ms. */
  readonly stepTimeoutMs: number;
}

/** What the tour saw, for the summary. */
export interface TourResult {
  readonly sessions: readonly SessionRecord[];
}

const eventText = (e: EventStruct) =>
  e.commandKey === "" ? e.eventCode : `${e.eventCode} (${e.commandKey})`;

const FIRMWARE = new TextEncoder().encode("cpekit demo firmware image 2.0.0\n".repeat(64));

/**
 * The app the tour installs with ChangeDUState: a QuecPython program (on the simulated module it
 * runs in a `_thread` until the device asks it to stop; the generic device only records it).
 */
const DEMO_APP = encodeDeploymentUnitPackage({
  name: "demo_telemetry",
  version: "1.0.0",
  vendor: "cpekit",
  description: "samples the signal every second",
  executionUnits: [{ name: "demo_telemetry", autoStart: true }],
  files: {
    "main.py": [
      "import net, utime",
      "while not cpekit_stop():",
      "    rssi = net.getSignal()[1][0]",
      "    utime.sleep_ms(1000)",
      "",
    ].join("\n"),
  },
});

/** The IPPing the tour asks for (TR-181 `Device.IP.Diagnostics.IPPing.`). */
const IP_PING = "Device.IP.Diagnostics.IPPing.";
const PING_REPETITIONS = 3;

/** Plays the tour (see the module comment). */
export const playTour = (setup: TourSetup): Effect.Effect<TourResult, DemoError> =>
  Effect.gen(function* () {
    const { acs, device, log, stepTimeoutMs } = setup;
    // The device's key at the ACS (`OUI-ProductClass-SerialNumber`), known once it started (a
    // module gives its IMEI): the first RPCs go to the only device there is.
    let deviceKey: string | undefined;
    const timeoutMs = stepTimeoutMs;
    const sessions: SessionRecord[] = [];
    let current = "";
    const failWith = (detail: string) => new DemoError({ step: current, detail });
    const acsFailure = (e: TestAcsError) =>
      new DemoError({ step: current, detail: e.message, cause: e });
    const step = (text: string) => {
      current = text;
      log.step(text);
    };

    /**
     * Waits until the ACS has recorded an exchange and gives its number (`undefined` if it was
     * not recorded within the step's bound): the ACS records after it answers, which can be
     * after the script saw the message. Only the placement of the printed lines depends on it.
     */
    const recorded = (found: (e: TranscriptEntry) => boolean) =>
      Effect.gen(function* () {
        for (let waited = 0; waited < timeoutMs; waited += 10) {
          const seq = acs.transcript.entries().find(found)?.seq;
          if (seq !== undefined) return seq;
          yield* Effect.sleep(Duration.millis(10));
        }
        return undefined;
      });
    /** The exchange that carried the last answer read, so that what the tour says of it follows it. */
    let lastAnswerAt: number | undefined;
    const ofAnswer = (text: string) => log.detail(text, lastAnswerAt);
    /** Queues a call now (in a fiber) and returns it, to join once the session has run. */
    const queue = (request: CwmpMessage) =>
      Effect.map(
        Effect.fork(Effect.mapError(acs.call(deviceKey, request, { timeoutMs }), acsFailure)),
        (fiber) => ({ fiber, since: acs.transcript.entries().length }),
      );
    const answerOf = (call: {
      readonly fiber: Fiber.Fiber<CwmpMessage, DemoError>;
      readonly since: number;
    }) =>
      Effect.gen(function* () {
        const answer = yield* Fiber.join(call.fiber);
        lastAnswerAt = yield* recorded(
          (e) => e.seq > call.since && e.request.message === answer._tag,
        );
        log.detail(`answer: ${describeMessage(answer)}`, lastAnswerAt);
        return answer;
      });
    const expectTag = <T extends CwmpMessage["_tag"]>(m: CwmpMessage, tag: T) =>
      m._tag === tag
        ? Effect.succeed(m as Extract<CwmpMessage, { _tag: T }>)
        : Effect.fail(failWith(`expected ${tag}, got ${describeMessage(m)}`));
    /** The UDPConnectionRequestAddress the device last advertised in an Inform. */
    let udpAdvertised: string | undefined;
    /**
     * Waits for the next Inform and checks it carries `expected`. An Inform with nothing but
     * `4 VALUE CHANGE` when the tour waits for something else (a device publishing a new UDP
     * address, say) is reported, its session played, and the wait goes on.
     */
    const nextInform = (expected: readonly string[]) =>
      Effect.gen(function* () {
        for (;;) {
          const inform: InformRecord = yield* Effect.mapError(
            acs.nextInform({ deviceId: deviceKey, timeoutMs }),
            acsFailure,
          );
          const at = yield* recorded(
            (e) => e.sessionId === inform.sessionId && e.request.message === "Inform",
          );
          const codes = inform.inform.event.map((e) => e.eventCode);
          log.detail(`Inform events: ${inform.inform.event.map(eventText).join(", ")}`, at);
          const udp = inform.inform.parameterList.find((p) =>
            p.name.endsWith(".ManagementServer.UDPConnectionRequestAddress"),
          )?.value;
          if (udp !== undefined && udp !== "") {
            log.detail(`Inform advertises UDPConnectionRequestAddress ${udp}`, at);
            udpAdvertised = udp;
          }
          if (
            codes.length > 0 &&
            codes.every((c) => c === "4 VALUE CHANGE") &&
            !expected.includes("4 VALUE CHANGE")
          ) {
            log.detail(
              `a value-change session of its own; the tour still waits for ${expected.join(" + ")}`,
              at,
            );
            yield* sessionEnd;
            continue;
          }
          const missing = expected.filter((c) => !codes.includes(c));
          if (missing.length > 0)
            return yield* failWith(
              `the Inform lacks ${missing.join(", ")} (has ${codes.join(", ")})`,
            );
          return inform;
        }
      });
    const sessionEnd = Effect.gen(function* () {
      const s = yield* Effect.mapError(
        acs.nextSession({ deviceId: deviceKey, timeoutMs }),
        acsFailure,
      );
      sessions.push(s);
      const at = yield* recorded((e) => e.sessionId === s.sessionId && e.response.status === 204);
      log.detail(
        `session ${s.sessionId} ${s.outcome}: ${s.acsRequests.length} ACS request(s), ${s.cpeRequests.length} CPE request(s), ${s.httpRequests} HTTP request(s)`,
        at,
      );
      for (const v of s.violations) log.detail(`!! protocol violation seen by the ACS: ${v}`, at);
      if (s.outcome !== "completed") return yield* failWith(`session ended ${s.outcome}`);
      return s;
    });
    const connectionRequest = (url: string) =>
      Effect.gen(function* () {
        const since = acs.transcript.entries().length;
        const status = yield* Effect.mapError(
          acs
            .connectionRequest(
              url,
              demoConnectionRequestCredentials.username,
              demoConnectionRequestCredentials.password,
            )
            .pipe(
              Effect.timeoutFail({
                duration: timeoutMs,
                onTimeout: () => failWith(`no answer to the connection request in ${timeoutMs} ms`),
              }),
            ),
          (e) => (e._tag === "DemoError" ? e : acsFailure(e)),
        );
        const at = yield* recorded((e) => e.seq > since && e.kind === "connectionRequest");
        log.detail(`connection request answered HTTP ${status}`, at);
        if (status !== 200) return yield* failWith(`connection request got HTTP ${status}`);
      });

    // 1. The first session: BOOTSTRAP, and the RPCs an ACS sends a new device. They are queued
    // before the device starts, so they ride on its first session (as an ACS's provisioning).
    step(
      "queue the first session's RPCs: GetParameterNames, GetParameterValues, two SetParameterValues, AddObject",
    );
    const gpn = yield* queue({
      _tag: "GetParameterNames",
      parameterPath: device.browse,
      nextLevel: true,
    });
    const gpv = yield* queue({ _tag: "GetParameterValues", parameterNames: device.read });
    const badSet = yield* queue({
      _tag: "SetParameterValues",
      parameterList: device.badSet.map((p) => ({ ...p, type: "string" })),
      parameterKey: "demo-bad",
    });
    const goodSet = yield* queue({
      _tag: "SetParameterValues",
      parameterList: [{ ...device.goodSet, type: "string" }],
      parameterKey: "demo-1",
    });
    const add = yield* queue({
      _tag: "AddObject",
      objectName: device.table,
      parameterKey: "demo-2",
    });

    step("start the device; expect a BOOTSTRAP Inform (0 BOOTSTRAP + 1 BOOT)");
    const handle = yield* setup.start.pipe(
      Effect.timeoutFail({
        duration: Duration.millis(timeoutMs),
        onTimeout: () => failWith(`the device did not start in ${timeoutMs} ms`),
      }),
    );
    deviceKey = deviceKeyOf(handle.deviceId);
    log.detail(`device ${deviceKey} started (${handle.description})`);
    log.detail(`connection requests at ${handle.connectionRequestUrl}`);
    const udpPort = handle.udpConnectionRequestPort;
    if (udpPort === undefined)
      return yield* failWith("the device has no UDP connection-request listener");
    log.detail(`UDP connection requests at ${demoUdpConnectionRequestAddress(udpPort)}`);
    const bootstrap = yield* nextInform(["0 BOOTSTRAP", "1 BOOT"]);
    const advertised = bootstrap.inform.parameterList.find((p) =>
      p.name.endsWith(".ManagementServer.ConnectionRequestURL"),
    )?.value;
    log.detail(`Inform advertises ConnectionRequestURL ${advertised ?? "(none)"}`);
    const crUrl =
      advertised !== undefined && advertised !== "" ? advertised : handle.connectionRequestUrl;

    step(`GetParameterNames ${device.browse} (next level)`);
    const names = yield* Effect.flatMap(answerOf(gpn), (m) =>
      expectTag(m, "GetParameterNamesResponse"),
    );
    ofAnswer(`names: ${names.parameterList.map((p) => p.name).join(", ")}`);

    step("GetParameterValues");
    const values = yield* Effect.flatMap(answerOf(gpv), (m) =>
      expectTag(m, "GetParameterValuesResponse"),
    );
    for (const v of values.parameterList) ofAnswer(`${v.name} = ${v.value}`);

    step(
      `SetParameterValues that must fault: ${device.badSet.map((p) => `${p.name}=${p.value}`).join(", ")}`,
    );
    const fault = yield* Effect.flatMap(answerOf(badSet), (m) => expectTag(m, "Fault"));
    if (fault.detail?.faultCode !== 9003)
      return yield* failWith(`expected fault 9003, got ${describeMessage(fault)}`);
    for (const f of fault.detail.setParameterValuesFaults)
      ofAnswer(`per-parameter fault: ${f.parameterName} ${f.faultCode} ${f.faultString}`);
    if (fault.detail.setParameterValuesFaults.length !== device.badSet.length)
      return yield* failWith("expected one SetParameterValuesFault per bad parameter");

    step(`SetParameterValues that succeeds: ${device.goodSet.name}=${device.goodSet.value}`);
    const setOk = yield* Effect.flatMap(answerOf(goodSet), (m) =>
      expectTag(m, "SetParameterValuesResponse"),
    );
    ofAnswer(`status ${setOk.status}`);

    step(`AddObject ${device.table}`);
    const added = yield* Effect.flatMap(answerOf(add), (m) => expectTag(m, "AddObjectResponse"));
    ofAnswer(`new instance ${device.table}${added.instanceNumber}.`);
    yield* sessionEnd;

    // 2. A connection request starts a session that carries a firmware Download.
    step("serve a firmware image and queue a Download (1 Firmware Upgrade Image)");
    const fileUrl = yield* Effect.mapError(
      acs.serveFile("/firmware/demo-fw-2.0.0.bin", FIRMWARE),
      acsFailure,
    );
    const download = yield* queue({
      _tag: "Download",
      commandKey: "demo-download",
      fileType: "1 Firmware Upgrade Image",
      url: fileUrl,
      username: "",
      password: "",
      fileSize: FIRMWARE.byteLength,
      targetFileName: "demo-fw-2.0.0.bin",
      delaySeconds: 0,
      successUrl: "",
      failureUrl: "",
    });
    step(`Digest connection request to ${crUrl}; expect a session with 6 CONNECTION REQUEST`);
    yield* connectionRequest(crUrl);
    yield* nextInform(["6 CONNECTION REQUEST"]);
    const dl = yield* Effect.flatMap(answerOf(download), (m) => expectTag(m, "DownloadResponse"));
    ofAnswer(
      dl.status === 1 ? "status 1: the transfer runs after the session" : `status ${dl.status}`,
    );
    yield* sessionEnd;

    step("the device downloads the image, applies it, and reports TransferComplete");
    yield* nextInform(["7 TRANSFER COMPLETE", "M Download"]);
    const tc = yield* Effect.mapError(
      acs.nextCpeRequest({ deviceId: deviceKey, method: "TransferComplete", timeoutMs }),
      acsFailure,
    );
    log.detail(describeMessage(tc.message));
    if (tc.message._tag !== "TransferComplete" || tc.message.faultStruct.faultCode !== 0)
      return yield* failWith(`the transfer failed: ${describeMessage(tc.message)}`);
    yield* sessionEnd;

    // 3. Reboot: the agent restarts over the same store and informs 1 BOOT + M Reboot.
    step("queue a Reboot and send a connection request");
    const reboot = yield* queue({ _tag: "Reboot", commandKey: "demo-reboot" });
    yield* connectionRequest(crUrl);
    yield* nextInform(["6 CONNECTION REQUEST"]);
    yield* Effect.flatMap(answerOf(reboot), (m) => expectTag(m, "RebootResponse"));
    yield* sessionEnd;
    step("after the reboot: expect an Inform with 1 BOOT + M Reboot");
    const afterReboot = yield* nextInform(["1 BOOT", "M Reboot"]);
    const key = afterReboot.inform.event.find((e) => e.eventCode === "M Reboot")?.commandKey;
    if (key !== "demo-reboot")
      return yield* failWith(`M Reboot carries CommandKey "${key}", expected "demo-reboot"`);
    yield* sessionEnd;

    // 4. Wake-ups other than HTTP: a UDP connection request (Annex G) to the address the device
    // publishes, the same after the reboot (the demo device binds a fixed port).
    const udpAddress = udpAdvertised ?? demoUdpConnectionRequestAddress(udpPort);
    step(
      `UDP connection request (Annex G) to ${udpAddress}; expect a session with 6 CONNECTION REQUEST`,
    );
    const udpSince = acs.transcript.entries().length;
    yield* Effect.mapError(
      acs.udpConnectionRequest(
        udpAddress,
        demoConnectionRequestCredentials.username,
        demoConnectionRequestCredentials.password,
      ),
      acsFailure,
    );
    const udpAt = yield* recorded((e) => e.seq > udpSince && e.kind === "connectionRequest");
    log.detail(
      "UDP connection request sent (no answer over UDP: the Inform shows it was taken)",
      udpAt,
    );
    yield* nextInform(["6 CONNECTION REQUEST"]);
    yield* sessionEnd;
    step(
      "XMPP connection request (Annex K): skipped, no XMPP server in the demo (see apps/cli/README.md)",
    );

    // 5. The state survived the reboot.
    step(`the store kept the state: GetParameterValues ${device.goodSet.name} after the reboot`);
    const check = yield* queue({
      _tag: "GetParameterValues",
      parameterNames: [device.goodSet.name],
    });
    yield* connectionRequest(crUrl);
    yield* nextInform(["6 CONNECTION REQUEST"]);
    const kept = yield* Effect.flatMap(answerOf(check), (m) =>
      expectTag(m, "GetParameterValuesResponse"),
    );
    const value = kept.parameterList[0]?.value;
    ofAnswer(`${device.goodSet.name} = ${value}`);
    if (value !== device.goodSet.value)
      return yield* failWith(
        `${device.goodSet.name} is "${value}" after the reboot, expected "${device.goodSet.value}"`,
      );
    yield* sessionEnd;

    // 6. Software modules (TR-069 Annex H): a QuecPython app installed with ChangeDUState, run
    // after the session; DUStateChangeComplete reports it in a session of its own.
    step("serve a QuecPython app and queue a ChangeDUState Install");
    const appUrl = yield* Effect.mapError(
      acs.serveFile("/apps/demo_telemetry.json", DEMO_APP),
      acsFailure,
    );
    const install = yield* queue({
      _tag: "ChangeDUState",
      operations: [{ _tag: "InstallOpStruct", url: appUrl }],
      commandKey: "demo-install",
    });
    step(`Digest connection request to ${crUrl}; expect a session with 6 CONNECTION REQUEST`);
    yield* connectionRequest(crUrl);
    yield* nextInform(["6 CONNECTION REQUEST"]);
    yield* Effect.flatMap(answerOf(install), (m) => expectTag(m, "ChangeDUStateResponse"));
    ofAnswer("the install runs after the session");
    yield* sessionEnd;
    step("the device installs the app and reports DUStateChangeComplete");
    yield* nextInform(["11 DU STATE CHANGE COMPLETE", "M ChangeDUState"]);
    const duc = yield* Effect.mapError(
      acs.nextCpeRequest({ deviceId: deviceKey, method: "DUStateChangeComplete", timeoutMs }),
      acsFailure,
    );
    // Counted from the queueing of the ChangeDUState: the report may be recorded already.
    const ducAt = yield* recorded(
      (e) => e.seq > install.since && e.request.message === "DUStateChangeComplete",
    );
    log.detail(describeMessage(duc.message), ducAt);
    const installed =
      duc.message._tag === "DUStateChangeComplete" ? duc.message.results[0] : undefined;
    if (installed?.currentState !== "Installed" || installed.fault.faultCode !== 0)
      return yield* failWith(`the install failed: ${describeMessage(duc.message)}`);
    yield* sessionEnd;

    // 7. IP diagnostics (TR-143): an IPPing of the loopback address from the device (on the
    // QuecPython module: `uping` through the bridge), run after the session, then 8 DIAGNOSTICS
    // COMPLETE, then the results. The app's execution unit is read in the same first session.
    const unit = installed.executionUnitRefList.split(",")[0] ?? "";
    step(
      `IPPing 127.0.0.1 (${PING_REPETITIONS} repetitions): SetParameterValues DiagnosticsState=Requested, and ${unit}.Status`,
    );
    const unitStatus = yield* queue({
      _tag: "GetParameterValues",
      parameterNames: [`${unit}.Status`],
    });
    const ping = yield* queue({
      _tag: "SetParameterValues",
      parameterList: [
        { name: `${IP_PING}Host`, value: "127.0.0.1", type: "string" },
        {
          name: `${IP_PING}NumberOfRepetitions`,
          value: String(PING_REPETITIONS),
          type: "unsignedInt",
        },
        { name: `${IP_PING}DiagnosticsState`, value: "Requested", type: "string" },
      ],
      parameterKey: "demo-ping",
    });
    yield* connectionRequest(crUrl);
    yield* nextInform(["6 CONNECTION REQUEST"]);
    const status = yield* Effect.flatMap(answerOf(unitStatus), (m) =>
      expectTag(m, "GetParameterValuesResponse"),
    );
    for (const v of status.parameterList) ofAnswer(`${v.name} = ${v.value}`);
    const pingSet = yield* Effect.flatMap(answerOf(ping), (m) =>
      expectTag(m, "SetParameterValuesResponse"),
    );
    ofAnswer(`status ${pingSet.status}: the test runs after the session`);
    yield* sessionEnd;
    step("the device runs the ping and reports 8 DIAGNOSTICS COMPLETE");
    yield* nextInform(["8 DIAGNOSTICS COMPLETE"]);
    yield* sessionEnd;
    step("GetParameterValues of the IPPing results");
    const results = yield* queue({
      _tag: "GetParameterValues",
      parameterNames: [
        `${IP_PING}DiagnosticsState`,
        `${IP_PING}SuccessCount`,
        `${IP_PING}FailureCount`,
        `${IP_PING}AverageResponseTimeDetailed`,
      ],
    });
    yield* connectionRequest(crUrl);
    yield* nextInform(["6 CONNECTION REQUEST"]);
    const pinged = yield* Effect.flatMap(answerOf(results), (m) =>
      expectTag(m, "GetParameterValuesResponse"),
    );
    for (const v of pinged.parameterList) ofAnswer(`${v.name} = ${v.value}`);
    const pingValue = (name: string) =>
      pinged.parameterList.find((v) => v.name === `${IP_PING}${name}`)?.value;
    if (
      pingValue("DiagnosticsState") !== "Complete" ||
      pingValue("SuccessCount") !== String(PING_REPETITIONS)
    )
      return yield* failWith(
        `the ping ended ${pingValue("DiagnosticsState")} with ${pingValue("SuccessCount")} replies`,
      );
    yield* sessionEnd;
    log.flush();
    return { sessions };
  });
