/**
 * Work an RPC asks for beyond its response: a reboot or factory reset once the session is over,
 * a ScheduleInform trigger, a CPE request for a later session. Handlers record it; the session
 * collects it; the agent carries it out.
 * @module
 */
import type { GetRPCMethods } from "../soap/acs-methods.js";
import type {
  AutonomousDUStateChangeComplete,
  AutonomousTransferComplete,
  DUStateChangeComplete,
  Kicked,
  RequestDownload,
  TransferComplete,
} from "../soap/cpe-methods.js";

/** A request the CPE sends to the ACS after the Inform (H2), one at a time. */
export type CpeRequestMessage =
  | TransferComplete
  | AutonomousTransferComplete
  | DUStateChangeComplete
  | AutonomousDUStateChangeComplete
  | RequestDownload
  | Kicked
  | GetRPCMethods;

/** A ScheduleInform accepted in a session: the agent starts a `3 SCHEDULED` session later. */
export interface ScheduleInformTrigger {
  readonly delaySeconds: number;
  readonly commandKey: string;
}

/**
 * What handlers asked the agent to do once the session is over (or later). The agent, not the
 * session, carries these out: a reboot in the middle of a session would lose the ACS's
 * remaining requests.
 */
export interface AfterSession {
  /** Reboot after the session; the CommandKey of the (last) Reboot RPC. */
  readonly reboot?: string;
  /**
   * The CommandKeys of every Reboot RPC of the session, in order: `M Reboot` is a Multiple
   * event, one per CommandKey (§1.5). Absent: `[reboot]` when `reboot` is set, else none
   * (read it through {@link rebootCommandKeys}).
   */
  readonly rebootCommandKeys?: readonly string[];
  /** Restore factory settings after the session. */
  readonly factoryReset?: boolean;
  /** ScheduleInform triggers accepted, in order. */
  readonly scheduleInforms: readonly ScheduleInformTrigger[];
  /** CPE requests to queue for a later session (e.g. a TransferComplete known at once). */
  readonly cpeRequests: readonly CpeRequestMessage[];
}

/** An {@link AfterSession} with nothing to do. */
export const noAfterSession: AfterSession = { scheduleInforms: [], cpeRequests: [] };

/** Every Reboot CommandKey `afterSession` holds, in order (see {@link AfterSession.rebootCommandKeys}). */
export const rebootCommandKeys = (afterSession: AfterSession): readonly string[] =>
  afterSession.rebootCommandKeys ??
  (afterSession.reboot === undefined ? [] : [afterSession.reboot]);

/**
 * Merges what a later RPC asked for into what earlier ones did: `reboot` is the later Reboot's
 * key, and every Reboot's key is kept in `rebootCommandKeys` (each one needs its `M Reboot`).
 */
export const mergeAfterSession = (earlier: AfterSession, later: AfterSession): AfterSession => {
  const reboot = later.reboot ?? earlier.reboot;
  const keys = [...rebootCommandKeys(earlier), ...rebootCommandKeys(later)];
  const factoryReset = later.factoryReset === true || earlier.factoryReset === true;
  return {
    ...(reboot === undefined ? {} : { reboot, rebootCommandKeys: keys }),
    ...(factoryReset ? { factoryReset } : {}),
    scheduleInforms: [...earlier.scheduleInforms, ...later.scheduleInforms],
    cpeRequests: [...earlier.cpeRequests, ...later.cpeRequests],
  };
};

/**
 * Lets a handler ask for work after the session. One recorder exists per dispatched request,
 * so nothing is shared between devices or sessions.
 */
export interface AfterSessionRecorder {
  /** Reboot once the session has ended; `commandKey` comes back in the `M Reboot` event. */
  readonly reboot: (commandKey: string) => void;
  /** Restore factory settings once the session has ended. */
  readonly factoryReset: () => void;
  /** Hand a ScheduleInform trigger to the agent. */
  readonly scheduleInform: (trigger: ScheduleInformTrigger) => void;
  /** Queue a CPE request for a later session. */
  readonly queueCpeRequest: (request: CpeRequestMessage) => void;
}
