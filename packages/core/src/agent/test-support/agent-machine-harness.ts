/**
 * The agent machine on a simulated clock with fake actors a test settles by hand: every normal
 * or heartbeat session, the boot and the after-session actions wait for the test to end them.
 * @module
 */
import { type Actor, createActor, fromPromise, SimulatedClock, type SnapshotFrom } from "xstate";
import {
  type AfterSessionActions,
  type AgentBootResult,
  type AgentEmitted,
  type AgentEvent,
  type AgentSessionInput,
  type AgentSessionResult,
  agentMachine,
} from "../agent.machine.js";
import { type AgentTimingConfig, defaultAgentTimingConfig } from "../agent-config.js";

/** A step the machine started and the test has not settled yet. */
export interface PendingStep<I, O> {
  /** The simulated clock's time when the step started. */
  readonly at: number;
  readonly input: I;
  readonly resolve: (output: O) => void;
  readonly reject: (error: unknown) => void;
}

/** One normal or heartbeat session the machine started. */
export interface SessionStep
  extends PendingStep<AgentSessionInput | undefined, AgentSessionResult> {
  readonly kind: "session" | "heartbeat";
}

export interface AgentMachineHarnessOptions {
  /** Merged over the default timing, whose periodic Inform is turned off. */
  readonly config?: Partial<AgentTimingConfig>;
  readonly random?: () => number;
  /** Settle the boot by hand (`boots`) instead of answering `{}` at once. */
  readonly manualBoot?: boolean;
  /** What the boot reports, given the clock's time (when not settled by hand). */
  readonly bootResult?: (now: number) => AgentBootResult;
}

/**
 * A simulated clock that runs delays as Node's `setTimeout` does: a NaN, negative or
 * sub-millisecond delay fires after 1 ms (SimulatedClock would never fire a NaN one), so a timer
 * armed with a bad delay shows up as the early event it would be on a device.
 */
export class NodeTimersClock extends SimulatedClock {
  override setTimeout(fn: (...args: unknown[]) => void, timeout: number): number {
    return super.setTimeout(fn, Number.isNaN(timeout) || timeout < 1 ? 1 : timeout);
  }
}

/** Lets the machine react to settled promises and fired timers. */
export const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The running machine, its clock, and every step it started, in order. */
export interface AgentMachineHarness {
  readonly actor: Actor<typeof agentMachine>;
  readonly clock: NodeTimersClock;
  /**
   * How far the wall clock (the machine's `now`) runs ahead of the timers' clock, as on a busy
   * machine, where Node counts a timer from the event loop's cached time; 0 unless set.
   */
  readonly wall: { aheadMs: number };
  readonly sessions: readonly SessionStep[];
  readonly boots: readonly PendingStep<undefined, AgentBootResult>[];
  readonly afterSessions: readonly PendingStep<AfterSessionActions, void>[];
  /** Everything the machine emitted, in order. */
  readonly emitted: readonly AgentEmitted[];
  readonly snapshot: () => SnapshotFrom<typeof agentMachine>;
  readonly state: () => SnapshotFrom<typeof agentMachine>["value"];
  /** Ends the latest session (normal or heartbeat) with `result`. */
  readonly end: (result: AgentSessionResult) => Promise<void>;
  /** Makes the latest session's actor fail (a defect, not a failed session). */
  readonly crash: (error: unknown) => Promise<void>;
  /** Sends the events in order, then lets the machine react. */
  readonly send: (...events: AgentEvent[]) => Promise<void>;
  /** Moves the simulated clock on, then lets the machine react. */
  readonly advance: (ms: number) => Promise<void>;
  /** The event codes of the `i`-th normal session (0: the boot session). */
  readonly codesOf: (i: number) => string[] | undefined;
  readonly normal: () => SessionStep[];
  readonly heartbeats: () => SessionStep[];
}

/** Starts the agent machine (not booted: send `BOOT`) over fake actors. */
export const startAgentMachine = (
  options: AgentMachineHarnessOptions = {},
): AgentMachineHarness => {
  const clock = new NodeTimersClock();
  const wall = { aheadMs: 0 };
  const sessions: SessionStep[] = [];
  const boots: PendingStep<undefined, AgentBootResult>[] = [];
  const afterSessions: PendingStep<AfterSessionActions, void>[] = [];
  const emitted: AgentEmitted[] = [];
  const pending = <I, O>(list: PendingStep<I, O>[], input: I) =>
    new Promise<O>((resolve, reject) => list.push({ at: clock.now(), input, resolve, reject }));
  const machine = agentMachine.provide({
    actors: {
      boot: fromPromise<AgentBootResult>(async () =>
        options.manualBoot === true
          ? pending(boots, undefined)
          : (options.bootResult?.(clock.now()) ?? {}),
      ),
      session: fromPromise<AgentSessionResult, AgentSessionInput>(
        ({ input }) =>
          new Promise((resolve, reject) =>
            sessions.push({ kind: "session", at: clock.now(), input, resolve, reject }),
          ),
      ),
      heartbeatSession: fromPromise<AgentSessionResult>(
        () =>
          new Promise((resolve, reject) =>
            sessions.push({
              kind: "heartbeat",
              at: clock.now(),
              input: undefined,
              resolve,
              reject,
            }),
          ),
      ),
      afterSession: fromPromise<void, AfterSessionActions>(({ input }) =>
        pending(afterSessions, input),
      ),
    },
  });
  const actor = createActor(machine, {
    clock,
    input: {
      config: {
        ...defaultAgentTimingConfig,
        periodic: { ...defaultAgentTimingConfig.periodic, enable: false },
        ...options.config,
      },
      random: options.random ?? (() => 0.5),
      now: () => clock.now() + wall.aheadMs,
    },
  });
  actor.on("*", (e) => emitted.push(e));
  actor.start();
  const snapshot = () => actor.getSnapshot();
  const state = () => snapshot().value;
  const latest = () => {
    const last = sessions.at(-1);
    if (last === undefined) throw new Error("harness: no session was started");
    return last;
  };
  const end = async (result: AgentSessionResult) => {
    latest().resolve(result);
    await flush();
  };
  const crash = async (error: unknown) => {
    latest().reject(error);
    await flush();
  };
  const send = async (...events: AgentEvent[]) => {
    for (const e of events) actor.send(e);
    await flush();
  };
  const advance = async (ms: number) => {
    clock.increment(ms);
    await flush();
  };
  const codesOf = (i: number) =>
    sessions.filter((s) => s.kind === "session")[i]?.input?.events.map((e) => e.eventCode);
  const normal = () => sessions.filter((s) => s.kind === "session");
  const heartbeats = () => sessions.filter((s) => s.kind === "heartbeat");
  return {
    actor,
    clock,
    wall,
    sessions,
    boots,
    afterSessions,
    emitted,
    snapshot,
    state,
    end,
    crash,
    send,
    advance,
    codesOf,
    normal,
    heartbeats,
  };
};

export const ok: AgentSessionResult = { outcome: "success" };
export const fail: AgentSessionResult = { outcome: "failure", reason: "ConnectFailed" };
