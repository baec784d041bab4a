/**
 * The agent machine: the device's life as TR-069 describes it (requirements sections 1.5, 1.6,
 * 1.10). It decides when a session runs; the session itself, the event queue and the device
 * actions are actors supplied with `.provide({ actors })`, so tests drive it with fakes and
 * XState's `SimulatedClock`.
 *
 * ```
 * off --BOOT--> booting --> inSession --success--> idle | throttled | afterSession | inSession
 *                              |  ^                          afterSession --> rebooting (final)
 *                        failure  | retry delay / trigger
 *                              v  |
 *                          waitingRetry
 *
 * idle | throttled | sessionEnded --HEARTBEAT_DUE--> inHeartbeat --> sessionEnded
 * ```
 * A heartbeat (Annex O) runs in a session of its own: one due while another session runs
 * waits for its end, triggers raised during it go to the next normal session, a failed one is
 * dropped (no §1.6 retry: the next one follows the schedule), and one due during a retry wait
 * is skipped (as icwmp does).
 * @module
 */
import { and, assign, cancel, emit, enqueueActions, fromPromise, raise, setup } from "xstate";
import type { EventStruct } from "../cwmp/structs.js";
import type { AgentTimingConfig } from "./agent-config.js";
import { EventCode } from "./event-codes.js";
import { heartbeatOff, heartbeatPhase, sameHeartbeatSettings } from "./heartbeat-policy.js";
import { nextInstant, type PeriodicPhase, periodicPhase } from "./periodic-schedule.js";
import { nextRetryCount, type RandomSource, retryWaitSeconds } from "./retry-policy.js";

/** What the ACS asked to happen once the session is over. */
export interface AfterSessionActions {
  /** Reboot (RPC Reboot): its CommandKey becomes `M Reboot` after the restart. */
  readonly reboot?: { readonly commandKey: string };
  readonly factoryReset?: boolean;
  /**
   * `ScheduleReboot` / `DelayReboot` came due (§1.10): they are reset, then the device
   * reboots; no `M Reboot` (no RPC asked).
   */
  readonly scheduledReboot?: boolean;
}

/**
 * A change of a reboot timer (§1.10 ScheduleReboot / DelayReboot): the epoch ms the reboot is
 * due, or `"cancel"`; an absent one leaves a running timer alone.
 */
export type RebootTimer = number | "cancel";

/** Input of the `session` actor. */
export interface AgentSessionInput {
  /** Events raised by triggers since the last session, to queue (write-ahead) before the Inform. */
  readonly events: readonly EventStruct[];
  /** `RetryCount` of the Inform (§1.6). */
  readonly retryCount: number;
}

/** Output of the `session` actor. */
export interface AgentSessionResult {
  readonly outcome: "success" | "failure";
  /** Why the session failed, for logs. */
  readonly reason?: string;
  /** `Retry-After` seconds of a 503 answer (interop rule, §1.6). */
  readonly retryAfter?: number;
  readonly afterSession?: AfterSessionActions;
  /**
   * Another session is wanted at once: the queue holds events the Inform did not carry (raised
   * meanwhile, or more than 64), or CPE requests the ACS did not hold (held ones wait for the
   * next trigger, V5/H3).
   */
  readonly pendingWork?: boolean;
  /** Epoch ms of ScheduleInforms accepted in this session (each raises SCHEDULED_DUE then). */
  readonly wakeAt?: readonly number[];
  /** New timing values when the ACS changed `ManagementServer` settings. */
  readonly config?: AgentTimingConfig;
  /** `DelayReboot` set in this session: due that many seconds after its end (§1.10). */
  readonly delayRebootAt?: RebootTimer;
  /** `ScheduleReboot` as it stands after this session (§1.10). */
  readonly scheduleRebootAt?: RebootTimer;
}

/** Output of the `boot` actor. */
export interface AgentBootResult {
  /** Epoch ms of ScheduleInforms still pending from before the restart. */
  readonly wakeAt?: readonly number[];
  readonly config?: AgentTimingConfig;
  /** A `ScheduleReboot` still in the future (§1.10). */
  readonly scheduleRebootAt?: RebootTimer;
}

/** Input of the agent machine. */
export interface AgentMachineInput {
  readonly config: AgentTimingConfig;
  readonly random: RandomSource;
  /** Epoch ms; must be the clock the actor runs on (`SimulatedClock.now` in tests). */
  readonly now: () => number;
}

/** Events of the agent machine (session-triggering events are the TR-069 triggers). */
export type AgentEvent =
  | { readonly type: "BOOT" }
  | { readonly type: "PERIODIC_DUE" }
  | { readonly type: "SCHEDULED_DUE" }
  | { readonly type: "CONNECTION_REQUEST" }
  /** A parameter with active notification changed (`4 VALUE CHANGE`). */
  | { readonly type: "VALUE_CHANGE" }
  /** A transfer finished; its TransferComplete and events are already queued. */
  | { readonly type: "TRANSFER_DONE" }
  /** The application queued a CPE request (Kicked, RequestDownload, ...) with its event. */
  | { readonly type: "REQUEST_QUEUED" }
  | { readonly type: "THROTTLE_OVER" }
  /** A ScheduleReboot / DelayReboot time has come (§1.10). */
  | { readonly type: "REBOOT_DUE" }
  /** A heartbeat Inform is due (Annex O, §1.10). */
  | { readonly type: "HEARTBEAT_DUE" };

/** What the machine emits: a session ended (transfers wait for this), a boot failed. */
export type AgentEmitted =
  | { readonly type: "sessionEnded"; readonly outcome: "success" | "failure" }
  | { readonly type: "bootFailed"; readonly error: unknown };

/** Which kind of trigger is waiting for a session (active notifications alone are throttled). */
type Wanted = "none" | "valueChange" | "other";

interface AgentContext {
  readonly config: AgentTimingConfig;
  readonly random: RandomSource;
  readonly now: () => number;
  readonly phase: PeriodicPhase;
  /** The heartbeat instants (Annex O). */
  readonly heartbeatPhase: PeriodicPhase;
  /** The instant the armed periodic timer stands for (see `nextInstant`). */
  readonly periodicDueAt: number | undefined;
  /** The instant the armed heartbeat timer stands for. */
  readonly heartbeatDueAt: number | undefined;
  /** A heartbeat came due while a step ran; it runs once the step is over. */
  readonly heartbeatWanted: boolean;
  readonly retryCount: number;
  readonly retryWaitMs: number;
  /** Events raised since the last session start. */
  readonly pendingEvents: readonly EventStruct[];
  /** Events handed to the running session. */
  readonly sessionEvents: readonly EventStruct[];
  readonly wanted: Wanted;
  /** Less than DefaultActiveNotificationThrottle has passed since the last session ended. */
  readonly throttling: boolean;
  readonly afterSession: AfterSessionActions;
  /** A ScheduleReboot / DelayReboot came due; the reboot waits for the session's end. */
  readonly rebootDue: boolean;
  readonly lastResult?: AgentSessionResult;
}

const triggerEvent: Partial<Record<AgentEvent["type"], string>> = {
  PERIODIC_DUE: EventCode.Periodic,
  CONNECTION_REQUEST: EventCode.ConnectionRequest,
  VALUE_CHANGE: EventCode.ValueChange,
};

/** While a step runs (boot, session, after-session actions): remember the trigger for later. */
const collectTriggers = {
  PERIODIC_DUE: { actions: ["collectTrigger", "schedulePeriodicInform"] },
  SCHEDULED_DUE: { actions: "collectTrigger" },
  CONNECTION_REQUEST: { actions: "collectTrigger" },
  VALUE_CHANGE: { actions: "collectTrigger" },
  TRANSFER_DONE: { actions: "collectTrigger" },
  REQUEST_QUEUED: { actions: "collectTrigger" },
  REBOOT_DUE: { actions: "markRebootDue" },
  HEARTBEAT_DUE: { actions: ["markHeartbeatWanted", "scheduleHeartbeat"] },
} as const;

/** While waiting: a trigger starts a session at once (also during a retry wait, §1.6). */
/**
 * The actions after a successful session, normal or heartbeat: both end the same way, and one
 * list keeps them from drifting apart.
 */
const afterSuccessfulSession = [
  "recordSuccess",
  "applyConfig",
  "scheduleWakeups",
  "armRebootTimers",
  "startThrottle",
  "emitSessionEnded",
] as const;

const startSessionOnTriggers = {
  PERIODIC_DUE: { target: "inSession", actions: ["collectTrigger", "schedulePeriodicInform"] },
  SCHEDULED_DUE: { target: "inSession", actions: "collectTrigger" },
  CONNECTION_REQUEST: { target: "inSession", actions: "collectTrigger" },
  VALUE_CHANGE: { target: "inSession", actions: "collectTrigger" },
  TRANSFER_DONE: { target: "inSession", actions: "collectTrigger" },
  REQUEST_QUEUED: { target: "inSession", actions: "collectTrigger" },
  REBOOT_DUE: { target: "afterSession", actions: "markRebootDue" },
} as const;

/** The agent machine. Supply `boot`, `session` and `afterSession` with `.provide({ actors })`. */
export const agentMachine = setup({
  types: {
    context: {} as AgentContext,
    events: {} as AgentEvent,
    input: {} as AgentMachineInput,
    output: {} as { readonly reason: "reboot" | "factoryReset" | "bootFailed" },
    emitted: {} as AgentEmitted,
  },
  actors: {
    /** Loads and boots the event queue (placeholder: nothing stored). */
    boot: fromPromise<AgentBootResult>(async () => ({})),
    /** Runs one CWMP session (placeholder: fails, no transport). */
    session: fromPromise<AgentSessionResult, AgentSessionInput>(async () => ({
      outcome: "failure",
      reason: "no session actor provided",
    })),
    /** Runs one heartbeat session: Inform with `14 HEARTBEAT` only (placeholder: fails). */
    heartbeatSession: fromPromise<AgentSessionResult>(async () => ({
      outcome: "failure",
      reason: "no heartbeat session actor provided",
    })),
    /** Records the reboot CommandKey, then reboots or factory-resets (placeholder: nothing). */
    afterSession: fromPromise<void, AfterSessionActions>(async () => undefined),
  },
  delays: {
    /** The §1.6 wait drawn when the session failed (CWMPRetryMinimumWaitInterval, Multiplier). */
    CWMPRetryMinimumWaitInterval: ({ context }) => context.retryWaitMs,
    DefaultActiveNotificationThrottle: ({ context }) =>
      context.config.activeNotificationThrottleSeconds * 1000,
  },
  guards: {
    failed: ({ event }) =>
      (event as unknown as { output: AgentSessionResult }).output.outcome === "failure",
    hasAfterSessionActions: ({ context }) =>
      context.afterSession.reboot !== undefined ||
      context.afterSession.factoryReset === true ||
      context.rebootDue,
    rebootDue: ({ context }) => context.rebootDue,
    heartbeatWanted: ({ context }) => context.heartbeatWanted,
    anotherSessionWanted: ({ context }) => context.wanted === "other",
    /** A trigger arrived (during the session that just failed) and waits for a session. */
    triggerWaiting: ({ context }) => context.wanted !== "none",
    onlyValueChangeWanted: ({ context }) => context.wanted === "valueChange",
    throttled: ({ context }) =>
      context.throttling && context.config.activeNotificationThrottleSeconds > 0,
  },
  actions: {
    /** Remembers the event code a trigger raises and what kind of session it wants. */
    collectTrigger: assign(({ context, event }) => {
      const code = triggerEvent[event.type];
      const wanted: Wanted =
        event.type === "VALUE_CHANGE"
          ? context.wanted === "none"
            ? "valueChange"
            : context.wanted
          : "other";
      return {
        pendingEvents:
          code === undefined
            ? context.pendingEvents
            : [...context.pendingEvents, { eventCode: code, commandKey: "" }],
        wanted,
      };
    }),
    /** Hands the raised events to the session that starts now. */
    takePendingEvents: assign(({ context }) => ({
      sessionEvents: context.pendingEvents,
      pendingEvents: [],
      wanted: "none" as Wanted,
    })),
    /** Arms the next periodic Inform instant after the one that fired (or after now at boot). */
    schedulePeriodicInform: enqueueActions(({ context, enqueue }) => {
      enqueue(cancel("periodic"));
      if (!context.config.periodic.enable) return;
      const now = context.now();
      const at = nextInstant(context.phase, context.periodicDueAt, now);
      enqueue.assign({ periodicDueAt: at });
      enqueue(raise({ type: "PERIODIC_DUE" }, { delay: at - now, id: "periodic" }));
    }),
    scheduleWakeups: enqueueActions(({ context, event, enqueue }) => {
      const output = (event as unknown as { output?: AgentSessionResult | AgentBootResult }).output;
      for (const at of output?.wakeAt ?? []) {
        enqueue(raise({ type: "SCHEDULED_DUE" }, { delay: Math.max(0, at - context.now()) }));
      }
    }),
    markRebootDue: assign({ rebootDue: true }),
    markHeartbeatWanted: assign({ heartbeatWanted: true }),
    takeHeartbeat: assign({ heartbeatWanted: false }),
    /** Arms the next heartbeat (the one after now), or none when the policy is off. */
    scheduleHeartbeat: enqueueActions(({ context, enqueue }) => {
      enqueue(cancel("heartbeat"));
      if (context.config.heartbeat?.enable !== true) return;
      const now = context.now();
      const at = nextInstant(context.heartbeatPhase, context.heartbeatDueAt, now);
      enqueue.assign({ heartbeatDueAt: at });
      enqueue(raise({ type: "HEARTBEAT_DUE" }, { delay: at - now, id: "heartbeat" }));
    }),
    /** (Re)arms or cancels the ScheduleReboot / DelayReboot timers a boot or session reported. */
    armRebootTimers: enqueueActions(({ context, event, enqueue }) => {
      const output = (event as unknown as { output?: AgentSessionResult }).output;
      const timers = [
        ["delayReboot", output?.delayRebootAt],
        ["scheduleReboot", output?.scheduleRebootAt],
      ] as const;
      for (const [id, at] of timers) {
        if (at === undefined) continue;
        enqueue(cancel(id));
        if (at !== "cancel")
          enqueue(raise({ type: "REBOOT_DUE" }, { delay: Math.max(0, at - context.now()), id }));
      }
    }),
    /**
     * Takes new ManagementServer timing. The periodic phase is drawn again (and the periodic
     * timer restarted) only when the periodic settings changed: a random phase must stay put.
     */
    applyConfig: enqueueActions(({ context, event, enqueue }) => {
      const config = (event as unknown as { output?: { config?: AgentTimingConfig } }).output
        ?.config;
      if (config === undefined) return;
      const before = context.config.periodic;
      const after = config.periodic;
      const periodicChanged =
        before.enable !== after.enable ||
        before.intervalSeconds !== after.intervalSeconds ||
        before.time !== after.time;
      const heartbeatChanged = !sameHeartbeatSettings(
        context.config.heartbeat ?? heartbeatOff,
        config.heartbeat ?? heartbeatOff,
      );
      const now = context.now();
      const phase = periodicChanged ? periodicPhase(after, context.random) : context.phase;
      const beat = heartbeatChanged
        ? heartbeatPhase(config.heartbeat ?? heartbeatOff, context.random)
        : context.heartbeatPhase;
      // New settings start a new series: its first instant is the next one after now.
      const periodicDueAt = periodicChanged
        ? after.enable
          ? nextInstant(phase, undefined, now)
          : undefined
        : context.periodicDueAt;
      const heartbeatDueAt = heartbeatChanged
        ? config.heartbeat?.enable === true
          ? nextInstant(beat, undefined, now)
          : undefined
        : context.heartbeatDueAt;
      enqueue.assign({ config, phase, heartbeatPhase: beat, periodicDueAt, heartbeatDueAt });
      if (heartbeatChanged) {
        enqueue(cancel("heartbeat"));
        if (heartbeatDueAt !== undefined)
          enqueue(
            raise({ type: "HEARTBEAT_DUE" }, { delay: heartbeatDueAt - now, id: "heartbeat" }),
          );
      }
      if (periodicChanged) {
        enqueue(cancel("periodic"));
        if (periodicDueAt !== undefined)
          enqueue(raise({ type: "PERIODIC_DUE" }, { delay: periodicDueAt - now, id: "periodic" }));
      }
    }),
    recordSuccess: assign(({ context, event }) => {
      const result = (event as unknown as { output: AgentSessionResult }).output;
      return {
        retryCount: nextRetryCount(context.retryCount, "success"),
        lastResult: result,
        afterSession: result.afterSession ?? {},
        // Leftover queued events need a session even when no trigger arrived meanwhile.
        ...(result.pendingWork === true ? { wanted: "other" as Wanted } : {}),
      };
    }),
    recordFailure: assign(({ context, event }) => {
      const output = (event as unknown as { output?: AgentSessionResult }).output;
      const retryCount = nextRetryCount(context.retryCount, "failure");
      const seconds = retryWaitSeconds(
        retryCount,
        context.config.retry,
        context.random,
        output?.retryAfter,
      );
      return {
        retryCount,
        retryWaitMs: Math.round(seconds * 1000),
        ...(output === undefined ? {} : { lastResult: output }),
        // The failed session's events were queued by it; those that survive are sent again.
        sessionEvents: [],
      };
    }),
    startThrottle: enqueueActions(({ context, enqueue }) => {
      enqueue(cancel("throttle"));
      if (context.config.activeNotificationThrottleSeconds > 0) {
        enqueue.assign({ throttling: true });
        enqueue(
          raise(
            { type: "THROTTLE_OVER" },
            { delay: "DefaultActiveNotificationThrottle", id: "throttle" },
          ),
        );
      }
    }),
    endThrottle: assign({ throttling: false }),
    emitSessionEnded: emit(({ event }) => ({
      type: "sessionEnded" as const,
      outcome: ((event as unknown as { output?: AgentSessionResult }).output?.outcome ??
        "failure") as "success" | "failure",
    })),
  },
}).createMachine({
  id: "agent",
  context: ({ input }) => ({
    config: input.config,
    random: input.random,
    now: input.now,
    phase: periodicPhase(input.config.periodic, input.random),
    heartbeatPhase: heartbeatPhase(input.config.heartbeat ?? heartbeatOff, input.random),
    periodicDueAt: undefined,
    heartbeatDueAt: undefined,
    heartbeatWanted: false,
    retryCount: 0,
    retryWaitMs: 0,
    pendingEvents: [],
    sessionEvents: [],
    wanted: "none",
    throttling: false,
    afterSession: {},
    rebootDue: false,
  }),
  initial: "off",
  on: {
    THROTTLE_OVER: { actions: "endThrottle" },
  },
  states: {
    off: {
      on: { BOOT: "booting" },
    },
    booting: {
      invoke: {
        src: "boot",
        onDone: {
          target: "inSession",
          // The timers of the input's settings first: applyConfig then re-arms those the boot's
          // settings change. The other way round, the schedule actions would take the instant
          // applyConfig armed for one that already fired, and skip it.
          actions: [
            "schedulePeriodicInform",
            "scheduleHeartbeat",
            "applyConfig",
            "scheduleWakeups",
            "armRebootTimers",
          ],
        },
        onError: {
          target: "stopped",
          actions: emit(({ event }) => ({ type: "bootFailed" as const, error: event.error })),
        },
      },
      on: collectTriggers,
    },
    idle: {
      on: {
        ...startSessionOnTriggers,
        VALUE_CHANGE: [
          { guard: "throttled", target: "throttled", actions: "collectTrigger" },
          { target: "inSession", actions: "collectTrigger" },
        ],
        HEARTBEAT_DUE: { target: "inHeartbeat", actions: "scheduleHeartbeat" },
      },
    },
    /** An active notification waits until DefaultActiveNotificationThrottle has passed (§1.10). */
    throttled: {
      on: {
        ...startSessionOnTriggers,
        THROTTLE_OVER: { target: "inSession", actions: "endThrottle" },
        VALUE_CHANGE: { actions: "collectTrigger" },
        HEARTBEAT_DUE: { target: "inHeartbeat", actions: "scheduleHeartbeat" },
      },
    },
    inSession: {
      entry: "takePendingEvents",
      invoke: {
        src: "session",
        input: ({ context }) => ({ events: context.sessionEvents, retryCount: context.retryCount }),
        onDone: [
          {
            guard: "failed",
            target: "waitingRetry",
            // A ScheduleInform answered before the failure was saved ahead: it still fires.
            // A heartbeat that waited for this session is skipped, as one due in the retry wait.
            actions: [
              "recordFailure",
              "takeHeartbeat",
              "scheduleWakeups",
              "startThrottle",
              "emitSessionEnded",
            ],
          },
          {
            target: "sessionEnded",
            actions: afterSuccessfulSession,
          },
        ],
        onError: {
          target: "waitingRetry",
          actions: ["recordFailure", "takeHeartbeat", "startThrottle", "emitSessionEnded"],
        },
      },
      // Triggers during a session start one new session after it (§1.7 C5).
      on: collectTriggers,
    },
    /** Decides what follows a successful session. */
    sessionEnded: {
      always: [
        { guard: "hasAfterSessionActions", target: "afterSession" },
        // A heartbeat that waited for this session runs before the next normal one.
        { guard: "heartbeatWanted", target: "inHeartbeat" },
        { guard: "anotherSessionWanted", target: "inSession" },
        // A throttle of 0 never sends THROTTLE_OVER, so only a real throttle may wait here.
        { guard: and(["onlyValueChangeWanted", "throttled"]), target: "throttled" },
        { guard: "onlyValueChangeWanted", target: "inSession" },
        { target: "idle" },
      ],
    },
    /**
     * Waits the §1.6 retry interval; any new trigger retries at once, also one that arrived
     * during the session that failed (it is new: only the failed Inform's own
     * `6 CONNECTION REQUEST` is dropped, the new one's goes with the retry).
     */
    waitingRetry: {
      always: [
        // A failed session has ended too: a due ScheduleReboot / DelayReboot goes first.
        { guard: "rebootDue", target: "afterSession" },
        { guard: "triggerWaiting", target: "inSession" },
      ],
      after: { CWMPRetryMinimumWaitInterval: "inSession" },
      on: {
        ...startSessionOnTriggers,
        // The ACS is not reachable: a heartbeat now is skipped, the next one stays armed.
        HEARTBEAT_DUE: { actions: "scheduleHeartbeat" },
      },
    },
    /**
     * A heartbeat session (Annex O): its own Inform, only `14 HEARTBEAT`. Triggers wait for
     * the next normal session; a failure is not retried (§1.5 table: its own schedule).
     */
    inHeartbeat: {
      entry: "takeHeartbeat",
      invoke: {
        src: "heartbeatSession",
        onDone: [
          { guard: "failed", target: "sessionEnded", actions: "emitSessionEnded" },
          {
            target: "sessionEnded",
            actions: afterSuccessfulSession,
          },
        ],
        onError: { target: "sessionEnded", actions: "emitSessionEnded" },
      },
      on: collectTriggers,
    },
    /** Reboot / factory reset requested by the ACS, done once the session is over. */
    afterSession: {
      invoke: {
        src: "afterSession",
        input: ({ context }) =>
          context.rebootDue
            ? { ...context.afterSession, scheduledReboot: true }
            : context.afterSession,
        onDone: { target: "rebooting" },
        // The device refused: carry on as after any session.
        onError: {
          target: "sessionEnded",
          actions: assign({ afterSession: {}, rebootDue: false }),
        },
      },
      on: collectTriggers,
    },
    rebooting: { type: "final" },
    stopped: { type: "final" },
  },
  output: ({ context }) => ({
    reason:
      context.afterSession.factoryReset === true
        ? "factoryReset"
        : context.afterSession.reboot !== undefined || context.rebootDue
          ? "reboot"
          : "bootFailed",
  }),
});
