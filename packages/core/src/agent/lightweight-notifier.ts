/**
 * UDP Lightweight Notifications (TR-069 Annex M, CWMP 1.4, requirement V8): parameters whose
 * Notification attribute is 3..6 are reported in `lwn:Notification` datagrams, independently of
 * the Inform (values 4 and 6 also go in the next Inform, as passive notifications; the data
 * model keeps both lists).
 *
 * - An active lightweight change (5, 6) sends a message at once, carrying every pending
 *   lightweight change (passive ones ride along).
 * - Passive lightweight changes (3, 4) wait for the trigger instants
 *   `LightweightNotificationTriggerTime ± k·LightweightNotificationTriggerInterval` (Unknown
 *   Time: a random reference); an interval of 0 leaves them to the next active one.
 * - Nothing is sent unless `LightweightNotificationProtocolsUsed` lists `UDP` (empty means
 *   off "despite any SetParameterAttributes"); changes recorded while off are dropped, so
 *   turning it on does not flood the ACS with stale values.
 * - To `UDPLightweightNotificationHost` (empty: the ACS URL's host) and
 *   `UDPLightweightNotificationPort` (not implemented or 0: 7547). Large reports are split so
 *   that each datagram stays under {@link MAX_LIGHTWEIGHT_DATAGRAM_BYTES} (one parameter each
 *   at least).
 *
 * Runs on Effect's `Clock` (TestClock drives it in tests).
 * @module
 */
import { Duration, Effect, Option, Queue, type Scope } from "effect";
import type { DeviceIdStruct } from "../cwmp/structs.js";
import type { DataModel, PendingLightweightChange } from "../datamodel/data-model.js";
import type { LightweightNotificationSinkService } from "../ports/lightweight-notification-sink.js";
import { readDeviceValue } from "./device-value.js";
import { type DeviceValuesModel, readDeviceValues } from "./device-values.js";
import {
  encodeLightweightNotification,
  type LightweightParameter,
} from "./lightweight-notification-message.js";
import { nextPeriodicInformAt, type PeriodicPhase, periodicPhase } from "./periodic-schedule.js";
import type { RandomSource } from "./retry-policy.js";

/** The port Annex M names when `UDPLightweightNotificationPort` is not implemented. */
export const DEFAULT_LIGHTWEIGHT_NOTIFICATION_PORT = 7547;

/** Datagram size a report is split to stay under (fits a cellular path MTU with headroom). */
export const MAX_LIGHTWEIGHT_DATAGRAM_BYTES = 1200;

/** The `ManagementServer` values that drive lightweight notifications. */
export interface LightweightNotificationSettings {
  /** `LightweightNotificationProtocolsUsed` lists `UDP`. */
  readonly udp: boolean;
  readonly host: string;
  readonly port: number;
  /** `LightweightNotificationTriggerInterval`, seconds; 0: passive ones wait for an active one. */
  readonly triggerIntervalSeconds: number;
  /** `LightweightNotificationTriggerTime` as written (the phase). */
  readonly triggerTime: string;
  /** `ManagementServer.Username` (the message's `UN`). */
  readonly username: string;
}

/** The host of an ACS URL (brackets of an IPv6 literal removed), or "" when it does not parse. */
export const acsHost = (acsUrl: string): string => {
  try {
    return new URL(acsUrl).hostname.replace(/^\[(.*)\]$/, "$1");
  } catch {
    return "";
  }
};

/** The settings {@link readLightweightNotificationSettings} reads, relative to the prefix. */
const settingNames = [
  "LightweightNotificationProtocolsUsed",
  "UDPLightweightNotificationHost",
  "UDPLightweightNotificationPort",
  "LightweightNotificationTriggerInterval",
  "LightweightNotificationTriggerTime",
  "Username",
] as const;

/**
 * Reads the settings under `prefix` (in one data-model call: they are read after every
 * session); `acsUrl` gives the host when none is set.
 */
export const readLightweightNotificationSettings = (
  model: DeviceValuesModel,
  prefix: string,
  acsUrl: string,
): Effect.Effect<LightweightNotificationSettings> =>
  Effect.map(
    readDeviceValues(
      model,
      settingNames.map((n) => `${prefix}${n}`),
    ),
    (values) => {
      const get = (n: (typeof settingNames)[number]) =>
        Option.getOrUndefined(values(`${prefix}${n}`));
      const used = get("LightweightNotificationProtocolsUsed") ?? "";
      const host = get("UDPLightweightNotificationHost") ?? "";
      const port = Number(get("UDPLightweightNotificationPort") ?? "");
      const interval = Number(get("LightweightNotificationTriggerInterval") ?? "");
      return {
        udp: used
          .split(",")
          .map((p) => p.trim())
          .includes("UDP"),
        host: host === "" ? acsHost(acsUrl) : host,
        port:
          Number.isInteger(port) && port > 0 && port <= 65535
            ? port
            : DEFAULT_LIGHTWEIGHT_NOTIFICATION_PORT,
        triggerIntervalSeconds: Number.isFinite(interval) && interval > 0 ? interval : 0,
        triggerTime: get("LightweightNotificationTriggerTime") ?? "",
        username: get("Username") ?? "",
      };
    },
  );

const utf8 = new TextEncoder();

/**
 * Splits `params` into groups whose message stays under `maxBytes` (a parameter too large on
 * its own goes alone: the sink reports whether the datagram could be sent).
 */
export const splitForDatagrams = (
  params: readonly LightweightParameter[],
  encode: (params: readonly LightweightParameter[]) => string,
  maxBytes: number,
): LightweightParameter[][] => {
  const groups: LightweightParameter[][] = [];
  let current: LightweightParameter[] = [];
  for (const p of params) {
    const next = [...current, p];
    if (current.length > 0 && utf8.encode(encode(next)).length > maxBytes) {
      groups.push(current);
      current = [p];
    } else current = next;
  }
  if (current.length > 0) groups.push(current);
  return groups;
};

/** What the notifier needs. */
export interface LightweightNotifierDeps {
  readonly dataModel: Pick<
    DataModel,
    "getDeviceValues" | "pendingLightweightNotifications" | "clearLightweightNotifications"
  >;
  readonly sink: LightweightNotificationSinkService;
  readonly deviceId: Pick<DeviceIdStruct, "oui" | "productClass" | "serialNumber">;
  /** `Device.ManagementServer.` or `InternetGatewayDevice.ManagementServer.`. */
  readonly managementServerPrefix: string;
  /** The current ACS URL (its host is the default destination). */
  readonly acsUrl: Effect.Effect<string>;
  readonly random: RandomSource;
}

/** A running notifier. */
export interface LightweightNotifier {
  /** Call after values changed: an active lightweight change sends a message at once. */
  readonly changed: Effect.Effect<void>;
  /** Call after the ACS may have changed the settings (after every session). */
  readonly settingsChanged: Effect.Effect<void>;
  /** Sends every pending lightweight change now (when UDP is in use). */
  readonly flush: Effect.Effect<void>;
}

const cnonce = (random: RandomSource): string =>
  [random(), random()]
    .map((u) =>
      Math.floor(Math.min(Math.max(u, 0), 0.999999) * 0x100000000)
        .toString(16)
        .padStart(8, "0"),
    )
    .join("");

/** Starts the notifier in `scope`: the trigger-interval timer runs until the scope closes. */
export const startLightweightNotifier = (
  deps: LightweightNotifierDeps,
): Effect.Effect<LightweightNotifier, never, Scope.Scope> =>
  Effect.gen(function* () {
    const settings = Effect.flatMap(deps.acsUrl, (url) =>
      readLightweightNotificationSettings(deps.dataModel, deps.managementServerPrefix, url),
    );
    const lock = yield* Effect.makeSemaphore(1);
    const send = (only: "any" | "active") =>
      lock.withPermits(1)(
        Effect.gen(function* () {
          const pending = yield* deps.dataModel.pendingLightweightNotifications;
          if (pending.length === 0) return;
          if (only === "active" && !pending.some((p) => p.active)) return;
          const s = yield* settings;
          if (!s.udp || s.host === "") {
            yield* deps.dataModel.clearLightweightNotifications(pending);
            return;
          }
          const at = yield* Effect.clockWith((c) => c.currentTimeMillis);
          const encode = (parameters: readonly LightweightParameter[]) =>
            encodeLightweightNotification({
              timestamp: Math.floor(at / 1000),
              username: s.username,
              cnonce: cnonce(deps.random),
              device: deps.deviceId,
              parameters,
            });
          const params = pending.map((p: PendingLightweightChange) => ({
            name: p.name,
            value: p.value,
          }));
          for (const group of splitForDatagrams(params, encode, MAX_LIGHTWEIGHT_DATAGRAM_BYTES)) {
            const sent = yield* Effect.either(
              deps.sink.send({ host: s.host, port: s.port, payload: encode(group) }),
            );
            // Not sent: kept for the next trigger (UDP gives no other feedback).
            if (sent._tag === "Left") {
              yield* Effect.logDebug(sent.left.message);
              continue;
            }
            yield* deps.dataModel.clearLightweightNotifications(group);
          }
        }),
      );

    const wake = yield* Queue.sliding<void>(1);
    const triggerLoop = Effect.gen(function* () {
      let phase: { readonly key: string; readonly phase: PeriodicPhase } | undefined;
      for (;;) {
        const s = yield* settings;
        if (!s.udp || s.triggerIntervalSeconds === 0) {
          yield* Queue.take(wake);
          continue;
        }
        // A random reference (Unknown Time) stays put while the settings do.
        const key = `${s.triggerIntervalSeconds}|${s.triggerTime}`;
        if (phase?.key !== key)
          phase = {
            key,
            phase: periodicPhase(
              { enable: true, intervalSeconds: s.triggerIntervalSeconds, time: s.triggerTime },
              deps.random,
            ),
          };
        const now = yield* Effect.clockWith((c) => c.currentTimeMillis);
        const due = nextPeriodicInformAt(phase.phase, now) - now;
        const woken = yield* Effect.race(
          Effect.as(Effect.sleep(Duration.millis(due)), false),
          Effect.as(Queue.take(wake), true),
        );
        if (!woken) yield* send("any");
      }
    });
    yield* Effect.forkScoped(triggerLoop);
    return {
      changed: send("active"),
      settingsChanged: Queue.offer(wake, undefined),
      flush: send("any"),
    };
  });

/**
 * Publishes what the sink supports as `LightweightNotificationProtocolsSupported` (a device
 * capability, not a value change), then starts the notifier for `dataModel`.
 */
export const startLightweightNotifierFor = (
  dataModel: DataModel,
  sink: LightweightNotificationSinkService,
  rest: Omit<LightweightNotifierDeps, "dataModel" | "sink">,
): Effect.Effect<LightweightNotifier, never, Scope.Scope> =>
  Effect.gen(function* () {
    const name = `${rest.managementServerPrefix}LightweightNotificationProtocolsSupported`;
    const supported = sink.protocols.join(",");
    const stored = yield* readDeviceValue(dataModel, name);
    if (Option.isSome(stored) && stored.value !== supported) {
      const noted = yield* Effect.orElseSucceed(
        dataModel.recordChanges([{ path: name, value: supported }]),
        () => [] as readonly string[],
      );
      yield* dataModel.clearPendingNotifications(noted);
      yield* dataModel.clearLightweightNotifications([{ name, value: supported }]);
    }
    return yield* startLightweightNotifier({ ...rest, dataModel, sink });
  });
