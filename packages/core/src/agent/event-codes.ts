/**
 * Inform event codes (requirements section 1.5) and their retention rules: which response
 * delivers each event, and which events a reboot discards.
 * @module
 */

/** The standard EventCodes of CWMP 1.4 (plus Amd 6's `14 HEARTBEAT`) and the method events. */
export const EventCode = {
  Bootstrap: "0 BOOTSTRAP",
  Boot: "1 BOOT",
  Periodic: "2 PERIODIC",
  Scheduled: "3 SCHEDULED",
  ValueChange: "4 VALUE CHANGE",
  Kicked: "5 KICKED",
  ConnectionRequest: "6 CONNECTION REQUEST",
  TransferComplete: "7 TRANSFER COMPLETE",
  DiagnosticsComplete: "8 DIAGNOSTICS COMPLETE",
  RequestDownload: "9 REQUEST DOWNLOAD",
  AutonomousTransferComplete: "10 AUTONOMOUS TRANSFER COMPLETE",
  DuStateChangeComplete: "11 DU STATE CHANGE COMPLETE",
  AutonomousDuStateChangeComplete: "12 AUTONOMOUS DU STATE CHANGE COMPLETE",
  Wakeup: "13 WAKEUP",
  Heartbeat: "14 HEARTBEAT",
  MReboot: "M Reboot",
  MScheduleInform: "M ScheduleInform",
  MDownload: "M Download",
  MScheduleDownload: "M ScheduleDownload",
  MUpload: "M Upload",
  MChangeDUState: "M ChangeDUState",
} as const;

/**
 * The CPE request, or the Inform, whose response delivers an event: the event stays queued
 * (and is sent again in every Inform) until that response is received (§1.5 table).
 */
export type DeliveringRequest =
  | "Inform"
  | "TransferComplete"
  | "RequestDownload"
  | "AutonomousTransferComplete"
  | "Kicked"
  | "DUStateChangeComplete"
  | "AutonomousDUStateChangeComplete";

const deliveredByRequest: Readonly<Record<string, DeliveringRequest>> = {
  [EventCode.TransferComplete]: "TransferComplete",
  [EventCode.MDownload]: "TransferComplete",
  [EventCode.MUpload]: "TransferComplete",
  [EventCode.MScheduleDownload]: "TransferComplete",
  [EventCode.RequestDownload]: "RequestDownload",
  [EventCode.AutonomousTransferComplete]: "AutonomousTransferComplete",
  // The Inform announces the kick; the Kicked RPC after it must still be sent on a retry, so
  // the event stays until KickedResponse (icwmp: retried on failure and over reboots).
  [EventCode.Kicked]: "Kicked",
  [EventCode.DuStateChangeComplete]: "DUStateChangeComplete",
  [EventCode.MChangeDUState]: "DUStateChangeComplete",
  [EventCode.AutonomousDuStateChangeComplete]: "AutonomousDUStateChangeComplete",
};

/** Which request's response delivers `code` (`"Inform"`: the InformResponse). */
export const deliveringRequest = (code: string): DeliveringRequest =>
  deliveredByRequest[code] ?? "Inform";

/** True for a Multiple event (`M ...`: one per CommandKey); every other code is Single (§1.5). */
export const isMultipleEvent = (code: string): boolean => code.startsWith("M ");

/**
 * Events a reboot discards: `1 BOOT` (a fresh one replaces it), `6 CONNECTION REQUEST` (never
 * retried), and the "retry on failure only" codes of the §1.5 table, `4 VALUE CHANGE` (values
 * are re-read anyway) and `8 DIAGNOSTICS COMPLETE` [R] (icwmp `event.c` flags). Everything
 * else survives reboots until delivered.
 */
export const isDiscardedOnReboot = (code: string): boolean =>
  code === EventCode.Boot ||
  code === EventCode.ConnectionRequest ||
  code === EventCode.ValueChange ||
  code === EventCode.DiagnosticsComplete;

const standardOrder: readonly string[] = Object.values(EventCode);

/**
 * Sort rank used when more than 64 events are pending: standard codes in their numeric order,
 * then vendor single events, then method events.
 */
export const eventRank = (code: string): number => {
  const i = standardOrder.indexOf(code);
  if (i >= 0 && !isMultipleEvent(code)) return i;
  return isMultipleEvent(code) ? 200 : 100;
};
