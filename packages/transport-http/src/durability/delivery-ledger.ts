/**
 * What a CPE owes an ACS and what it delivered, read from the ACS's transcript alone, across
 * every run (life) of one device; and the crash guarantee checked against it.
 *
 * "Delivered" here is a precise, ACS-side notion:
 * - an Inform event (`0 BOOTSTRAP`, `M Reboot` + CommandKey) is *acknowledged* when the ACS
 *   answered the Inform carrying it with an InformResponse;
 * - a TransferComplete (and the `M Download` of its CommandKey, which goes with it) is
 *   *acknowledged* when the ACS answered it with a TransferCompleteResponse.
 *
 * The CPE applies acknowledgments to its stored queue when its session ends. A crash between
 * the ACS's answer and that save loses the CPE's knowledge of the acknowledgment, so the item
 * is sent again by the next run: at-least-once delivery, the window the spec tolerates (as
 * for a lost InformResponse). An acknowledgment is *known saved* when the same run afterwards
 * started another session (its Inform appears later in the transcript) or rebooted on the
 * ACS's request: the agent runs one session at a time and saves a session's outcome before it
 * starts the next one or reboots.
 *
 * The guarantee ({@link checkDeliveries}):
 * - nothing owed is lost. A Download answered with Status 1 is owed its TransferComplete (the
 *   transfer is saved before that answer): an acknowledged TransferComplete with its
 *   CommandKey must follow, in a session whose Inform carried `7 TRANSFER COMPLETE` and
 *   `M Download` with that CommandKey. A Reboot is owed its `M Reboot` once the session that
 *   accepted it is complete (the ACS sent its final empty answer) and the CPE is known to have
 *   saved that session's outcome (its run then rebooted by itself, or started another
 *   session): an acknowledged Inform carrying `M Reboot` with its CommandKey must follow;
 * - nothing is delivered twice once its acknowledgment is known saved: no Inform after it
 *   carries the event again, no TransferComplete after it has its CommandKey again. Repeats
 *   after an acknowledgment not known saved are the at-least-once window: allowed, counted.
 *
 * The CPE requests an application queued (Kicked, RequestDownload, AutonomousTransferComplete,
 * GetRPCMethods; the child names each by a key in its arguments) follow the same rules: owed
 * once the child reported the API call returned (the request was saved), acknowledged by the
 * ACS's response, never sent again once that acknowledgment is known saved, and announced by
 * their event (`5 KICKED`, `9 REQUEST DOWNLOAD`, `10 AUTONOMOUS TRANSFER COMPLETE`) in the
 * session that delivers them. GetRPCMethods carries no key: its acknowledgments are counted.
 *
 * A stricter check is reported separately and asserted by the crash test:
 * {@link DeliveryReport.rebootsLostBeforeSave}, a Reboot accepted in a complete session whose
 * `M Reboot` never came because the run was killed before saving the session's outcome. The
 * agent saves the CommandKey before answering RebootResponse, so this must stay empty.
 * {@link DeliveryReport.rebootsSuperseded} lists Reboots followed by another in the same
 * session; they are reported only (one `M Reboot` per CommandKey is checked in core's tests).
 * @module
 */
import type { TranscriptEntry } from "@cpekit/acs-testkit";
import type { CwmpMessage } from "@cpekit/core";
import { runOfUserAgent } from "./agent-child-config.js";

/** True when the ACS corrupted the body of this answer (the CPE got no CWMP message). */
export const hasCorruptedAnswer = (e: TranscriptEntry): boolean =>
  e.injected.some(
    (f) => f.kind === "trailingMarkup" || f.kind === "malformedXml" || f.kind === "truncatedXml",
  );

/** The CPE requests an application makes, and the event announcing each (none: GetRPCMethods). */
const announcingEvent: Readonly<Record<string, string | undefined>> = {
  Kicked: "5 KICKED",
  RequestDownload: "9 REQUEST DOWNLOAD",
  AutonomousTransferComplete: "10 AUTONOMOUS TRANSFER COMPLETE",
  GetRPCMethods: undefined,
};

/** The name of the argument of RequestDownload's FileTypeArg that carries the child's key. */
export const REQUEST_KEY_ARG = "Key";

/**
 * The item an application CPE request stands for: `Kicked|<Arg>`, `RequestDownload|<Key
 * argument>`, `AutonomousTransferComplete|<TargetFileName>`, `GetRPCMethods|`; undefined for
 * other messages.
 */
export const cpeRequestItem = (m: CwmpMessage): string | undefined => {
  switch (m._tag) {
    case "Kicked":
      return `Kicked|${m.arg}`;
    case "RequestDownload":
      return `RequestDownload|${m.fileTypeArg.find((a) => a.name === REQUEST_KEY_ARG)?.value ?? ""}`;
    case "AutonomousTransferComplete":
      return `AutonomousTransferComplete|${m.targetFileName}`;
    case "GetRPCMethods":
      return "GetRPCMethods|";
    default:
      return undefined;
  }
};

/** One CWMP exchange of one device, as the ACS recorded it. */
export interface CwmpExchange {
  /** Transcript order. */
  readonly seq: number;
  /** The device's run (life) that sent it. */
  readonly run: number;
  readonly sessionId: string;
  /** What the CPE posted (absent for an empty POST or an undecodable body). */
  readonly request?: CwmpMessage;
  /** What the ACS answered (absent for its empty answer). */
  readonly response?: CwmpMessage;
  readonly status: TranscriptEntry["response"]["status"];
}

/** How a run of the device ended. */
export type RunEnd = "killed" | "rebooted" | "stopped";

/** The CWMP exchanges of device `deviceKey`, with their run, oldest first. */
export const exchangesOf = (
  entries: readonly TranscriptEntry[],
  deviceKey: string,
): readonly CwmpExchange[] =>
  entries.flatMap((e) => {
    if (e.kind !== "cwmp" || e.deviceId !== deviceKey || e.sessionId === undefined) return [];
    const agent = e.request.headers["user-agent"];
    const run = runOfUserAgent(typeof agent === "string" ? agent : undefined);
    if (run === undefined) return [];
    return [
      {
        seq: e.seq,
        run,
        sessionId: e.sessionId,
        ...(e.request.envelope ? { request: e.request.envelope.body } : {}),
        // A body the ACS corrupted carried no message to the CPE: it acknowledges nothing.
        ...(e.response.envelope && !hasCorruptedAnswer(e)
          ? { response: e.response.envelope.body }
          : {}),
        status: e.response.status,
      },
    ];
  });

/** One sending of an item by the CPE, and whether (and how surely) the ACS acknowledged it. */
interface Sending {
  readonly seq: number;
  readonly run: number;
  readonly sessionId: string;
  acknowledged: boolean;
}

/** The outcome of {@link checkDeliveries}; the lists name items as `code|CommandKey`. */
export interface DeliveryReport {
  /** CommandKeys of the Reboots the ACS saw accepted in a completed session. */
  readonly rebootsOrdered: readonly string[];
  /** Of those, the Reboots whose session's outcome the CPE is known to have saved (owed). */
  readonly rebootsOwed: readonly string[];
  /**
   * Reboots accepted in a completed session whose `M Reboot` never came, the run having been
   * killed before its save was known (asserted empty by the crash test).
   */
  readonly rebootsLostBeforeSave: readonly string[];
  /**
   * Reboots followed by another Reboot in the same session: reported, not owed here (core's
   * agent tests check one `M Reboot` per CommandKey).
   */
  readonly rebootsSuperseded: readonly string[];
  /** CommandKeys of the Downloads the CPE accepted (Status 1). */
  readonly downloadsAccepted: readonly string[];
  /** CommandKeys of the ChangeDUState requests the CPE accepted (each owes a DUStateChangeComplete). */
  readonly duChangesAccepted: readonly string[];
  /** Owed items never acknowledged: violations. */
  readonly lost: readonly string[];
  /**
   * Owed items acknowledged, none of whose acknowledgments is known saved: the run was killed
   * after the acknowledgment and the CPE had saved it (or the item would have been sent
   * again). Not a violation; the ACS cannot tell.
   */
  readonly pendingSave: readonly string[];
  /** Items sent again after an acknowledgment known saved: violations. */
  readonly duplicates: readonly string[];
  /**
   * TransferCompletes and application CPE requests acknowledged in a session whose Inform
   * lacked their events: violations.
   */
  readonly unannounced: readonly string[];
  /** Items sent again after an acknowledgment not known saved (the allowed window). */
  readonly atLeastOnceRepeats: readonly string[];
  /** Acknowledgments by item. */
  readonly acknowledged: ReadonlyMap<string, number>;
}

/**
 * Inform events whose deliveries are tracked: those that must not recur once delivered here
 * (the test never changes the ACS URL nor resets the device). `1 BOOT`, `2 PERIODIC`, `7 TRANSFER
 * COMPLETE`, ... recur legitimately; `M Download` is tracked with its TransferComplete.
 */
const isTracked = (code: string) => code === "0 BOOTSTRAP" || code.startsWith("M ");

const item = (code: string, commandKey: string) => `${code}|${commandKey}`;
/** The item a TransferComplete stands for. */
export const transferCompleteItem = (commandKey: string): string =>
  item("TransferComplete", commandKey);
/** The item a DUStateChangeComplete stands for. */
export const duStateChangeCompleteItem = (commandKey: string): string =>
  item("DUStateChangeComplete", commandKey);

interface SessionView {
  readonly run: number;
  readonly events: Set<string>;
  lastSeq: number;
  completed: boolean;
}

/** Checks the guarantee stated in the module comment over one device's exchanges. */
export const checkDeliveries = (
  exchanges: readonly CwmpExchange[],
  runEnds: ReadonlyMap<number, RunEnd>,
  /** Items ({@link cpeRequestItem}) of the CPE requests the device reported queued. */
  cpeRequestsQueued: readonly string[] = [],
): DeliveryReport => {
  const sessions = new Map<string, SessionView>();
  const sendings = new Map<string, Sending[]>();
  const lastInformOfRun = new Map<number, number>();
  const rebootAnswers: { key: string; sessionId: string }[] = [];
  const downloadsAccepted: string[] = [];
  const pendingAcsRequest = new Map<string, CwmpMessage>();
  const downloadAnnouncements: { name: string; key: string; at: Sending }[] = [];
  const acknowledgedTransfers = new Set<string>();
  const duChangesAccepted: string[] = [];
  const duAnnouncements: { name: string; key: string; at: Sending }[] = [];
  const acknowledgedDuReports = new Set<string>();
  let getRpcMethodsAcknowledged = 0;
  const unannounced: string[] = [];
  const send = (name: string, s: Sending) => {
    const list = sendings.get(name) ?? [];
    list.push(s);
    sendings.set(name, list);
  };

  for (const x of exchanges) {
    let session = sessions.get(x.sessionId);
    if (session === undefined) {
      session = { run: x.run, events: new Set(), lastSeq: x.seq, completed: false };
      sessions.set(x.sessionId, session);
    }
    session.lastSeq = x.seq;
    const acked = (tag: string) => x.status === 200 && x.response?._tag === tag;
    const req = x.request;
    if (req?._tag === "Inform") {
      lastInformOfRun.set(x.run, x.seq);
      for (const e of req.event) {
        const name = e.eventCode.startsWith("M ") ? item(e.eventCode, e.commandKey) : e.eventCode;
        session.events.add(name);
        const at = { seq: x.seq, run: x.run, sessionId: x.sessionId, acknowledged: false };
        // `M Download` is acknowledged with its TransferComplete (settled after this pass).
        if (e.eventCode === "M Download")
          downloadAnnouncements.push({ name, key: e.commandKey, at });
        // `M ChangeDUState` likewise, with its DUStateChangeComplete.
        else if (e.eventCode === "M ChangeDUState")
          duAnnouncements.push({ name, key: e.commandKey, at });
        else if (isTracked(e.eventCode))
          send(name, { ...at, acknowledged: acked("InformResponse") });
      }
    } else if (req?._tag === "TransferComplete") {
      const ok = acked("TransferCompleteResponse");
      if (ok) acknowledgedTransfers.add(`${x.sessionId}|${req.commandKey}`);
      send(transferCompleteItem(req.commandKey), {
        seq: x.seq,
        run: x.run,
        sessionId: x.sessionId,
        acknowledged: ok,
      });
    } else if (req?._tag === "DUStateChangeComplete") {
      const key = req.commandKey ?? "";
      const ok = acked("DUStateChangeCompleteResponse");
      if (ok) acknowledgedDuReports.add(`${x.sessionId}|${key}`);
      send(duStateChangeCompleteItem(key), {
        seq: x.seq,
        run: x.run,
        sessionId: x.sessionId,
        acknowledged: ok,
      });
    } else if (req?._tag === "ChangeDUStateResponse") {
      const asked = pendingAcsRequest.get(x.sessionId);
      if (asked?._tag === "ChangeDUState") duChangesAccepted.push(asked.commandKey ?? "");
    } else if (req !== undefined && req._tag in announcingEvent) {
      const name = cpeRequestItem(req) ?? req._tag;
      const ok = acked(`${req._tag}Response`);
      const event = announcingEvent[req._tag];
      if (ok && event !== undefined && !session.events.has(event))
        unannounced.push(`${name} (#${x.seq})`);
      // GetRPCMethods carries no key: one request cannot be told from another, only counted.
      if (req._tag === "GetRPCMethods") getRpcMethodsAcknowledged += ok ? 1 : 0;
      else send(name, { seq: x.seq, run: x.run, sessionId: x.sessionId, acknowledged: ok });
    } else if (req?._tag === "RebootResponse") {
      const asked = pendingAcsRequest.get(x.sessionId);
      if (asked?._tag === "Reboot")
        rebootAnswers.push({ key: asked.commandKey, sessionId: x.sessionId });
    } else if (req?._tag === "DownloadResponse") {
      const asked = pendingAcsRequest.get(x.sessionId);
      if (asked?._tag === "Download" && req.status === 1) downloadsAccepted.push(asked.commandKey);
    }
    if (x.response !== undefined) pendingAcsRequest.set(x.sessionId, x.response);
    if (x.status === 204) session.completed = true;
  }

  for (const { name, key, at } of downloadAnnouncements)
    send(name, { ...at, acknowledged: acknowledgedTransfers.has(`${at.sessionId}|${key}`) });
  for (const { name, key, at } of duAnnouncements)
    send(name, { ...at, acknowledged: acknowledgedDuReports.has(`${at.sessionId}|${key}`) });
  for (const list of sendings.values()) list.sort((a, b) => a.seq - b.seq);

  // A session's outcome is known saved when its run rebooted by itself or started another one.
  const sessionSaved = (sessionId: string) => {
    const session = sessions.get(sessionId);
    return (
      session !== undefined &&
      (runEnds.get(session.run) === "rebooted" ||
        (lastInformOfRun.get(session.run) ?? 0) > session.lastSeq)
    );
  };
  // An acknowledgment is known saved when its session's outcome is.
  const knownSaved = (s: Sending) => s.acknowledged && sessionSaved(s.sessionId);
  const lost: string[] = [];
  const duplicates: string[] = [];
  const atLeastOnceRepeats: string[] = [];
  const acknowledged = new Map<string, number>();
  for (const [name, list] of sendings) {
    acknowledged.set(name, list.filter((s) => s.acknowledged).length);
    const saved = list.find(knownSaved);
    const firstAck = list.find((a) => a.acknowledged);
    for (const s of list) {
      if (saved !== undefined && s.seq > saved.seq) duplicates.push(`${name} (#${s.seq})`);
      else if (firstAck !== undefined && s.seq > firstAck.seq)
        atLeastOnceRepeats.push(`${name} (#${s.seq})`);
    }
  }
  // Two Reboots in one session make one reboot: the agent keeps the last CommandKey.
  const lastOfSession = rebootAnswers.filter(
    (r, i) => !rebootAnswers.slice(i + 1).some((later) => later.sessionId === r.sessionId),
  );
  const rebootsSuperseded = rebootAnswers
    .filter((r) => !lastOfSession.includes(r))
    .map((r) => item("M Reboot", r.key));
  const ordered = lastOfSession.filter((r) => sessions.get(r.sessionId)?.completed === true);
  const rebootsOwed = ordered.filter((r) => sessionSaved(r.sessionId)).map((r) => r.key);
  const rebootsLostBeforeSave = ordered
    .filter((r) => !sessionSaved(r.sessionId))
    .map((r) => item("M Reboot", r.key))
    .filter((name) => !(sendings.get(name) ?? []).some((s) => s.acknowledged));
  const owed = [
    ...rebootsOwed.map((k) => item("M Reboot", k)),
    ...downloadsAccepted.flatMap((k) => [transferCompleteItem(k), item("M Download", k)]),
    ...duChangesAccepted.flatMap((k) => [duStateChangeCompleteItem(k), item("M ChangeDUState", k)]),
    ...cpeRequestsQueued.filter((name) => !name.startsWith("GetRPCMethods|")),
  ];
  const getRpcMethodsOwed = cpeRequestsQueued.filter((n) => n.startsWith("GetRPCMethods|")).length;
  if (getRpcMethodsAcknowledged < getRpcMethodsOwed)
    lost.push(`GetRPCMethods (${getRpcMethodsOwed} queued, ${getRpcMethodsAcknowledged} answered)`);
  const pendingSave: string[] = [];
  for (const name of new Set(owed)) {
    const list = sendings.get(name) ?? [];
    if (!list.some((s) => s.acknowledged)) lost.push(name);
    else if (!list.some(knownSaved)) pendingSave.push(name);
  }
  for (const [name, list] of sendings) {
    if (!name.startsWith("DUStateChangeComplete|")) continue;
    const key = name.slice("DUStateChangeComplete|".length);
    for (const s of list.filter((a) => a.acknowledged)) {
      const events = sessions.get(s.sessionId)?.events;
      if (!events?.has("11 DU STATE CHANGE COMPLETE") || !events.has(item("M ChangeDUState", key)))
        unannounced.push(`${name} (#${s.seq})`);
    }
  }
  for (const [name, list] of sendings) {
    if (!name.startsWith("TransferComplete|")) continue;
    const key = name.slice("TransferComplete|".length);
    for (const s of list.filter((a) => a.acknowledged)) {
      const events = sessions.get(s.sessionId)?.events;
      if (!events?.has("7 TRANSFER COMPLETE") || !events.has(item("M Download", key)))
        unannounced.push(`${name} (#${s.seq})`);
    }
  }
  return {
    rebootsOrdered: ordered.map((r) => r.key),
    rebootsOwed,
    rebootsLostBeforeSave,
    rebootsSuperseded,
    downloadsAccepted,
    duChangesAccepted,
    lost,
    pendingSave,
    // Sorted: the map's order of items is the order they were first seen, which is not stable.
    duplicates: duplicates.sort(),
    unannounced: unannounced.sort(),
    atLeastOnceRepeats: atLeastOnceRepeats.sort(),
    acknowledged,
  };
};
