/**
 * Agent figures:
 * 1. Event-queue cycles per second (pure functions): raise 3 events, select the Inform batch,
 *    apply the InformResponse.
 * 2. The same cycle written ahead to an in-memory store (encode + save per change).
 * 3. 2,000 agent machines on one SimulatedClock with an instant fake session: heap bytes per
 *    idle machine, and trigger-to-idle cycles per second across the fleet.
 * Run with `pnpm bench agent`.
 */
import { Effect } from "effect";
import { createActor, fromPromise, SimulatedClock } from "xstate";
import {
  type AgentSessionInput,
  type AgentSessionResult,
  agentMachine,
} from "../src/agent/agent.machine.js";
import { defaultAgentTimingConfig } from "../src/agent/agent-config.js";
import { EventCode } from "../src/agent/event-codes.js";
import {
  addEvent,
  bootEventQueue,
  informDelivered,
  selectForInform,
} from "../src/agent/event-queue.js";
import { makePersistentEventQueue } from "../src/agent/event-queue-store.js";
import { makeSectionStore } from "../src/agent/section-store.js";
import { makeMemoryStore } from "../src/ports/store.js";

const gc = (globalThis as { gc?: () => void }).gc;
const heap = () => {
  gc?.();
  return process.memoryUsage().heapUsed;
};

// 1. Pure queue cycles.
{
  const n = 200_000;
  let q = bootEventQueue(undefined, "http://acs", 0);
  const t = performance.now();
  for (let i = 0; i < n; i++) {
    q = addEvent(
      addEvent(addEvent(q, EventCode.Periodic), EventCode.ValueChange),
      EventCode.MScheduleInform,
      `k${i % 4}`,
    );
    q = informDelivered(q, selectForInform(q));
  }
  const s = (performance.now() - t) / 1000;
  console.log(`event queue (pure): ${Math.round(n / s).toLocaleString()} cycles/s`);
}

// 2. Written ahead to a memory store.
{
  const n = 20_000;
  const s = await Effect.runPromise(
    Effect.gen(function* () {
      const sections = yield* makeSectionStore(yield* makeMemoryStore());
      const queue = yield* makePersistentEventQueue(sections, "http://acs", 0);
      const t = performance.now();
      for (let i = 0; i < n; i++) {
        const q = yield* queue.update((x) => addEvent(x, EventCode.Periodic));
        yield* queue.update((x) => informDelivered(x, selectForInform(q)));
      }
      return (performance.now() - t) / 1000;
    }),
  );
  console.log(
    `event queue (write-ahead, memory store): ${Math.round(n / s).toLocaleString()} cycles/s`,
  );
}

// 3. A fleet of machines.
{
  const devices = 2_000;
  const clock = new SimulatedClock();
  const machine = agentMachine.provide({
    actors: {
      boot: fromPromise(async () => ({})),
      session: fromPromise<AgentSessionResult, AgentSessionInput>(async () => ({
        outcome: "success",
      })),
    },
  });
  const before = heap();
  const actors = Array.from({ length: devices }, () =>
    createActor(machine, {
      clock,
      input: { config: defaultAgentTimingConfig, random: Math.random, now: () => clock.now() },
    }).start(),
  );
  for (const a of actors) a.send({ type: "BOOT" });
  await new Promise((r) => setImmediate(r));
  const perDevice = (heap() - before) / devices;
  console.log(
    `agent machine: ${Math.round(perDevice).toLocaleString()} heap bytes per idle device (${devices} devices)`,
  );
  const rounds = 20;
  const t = performance.now();
  for (let r = 0; r < rounds; r++) {
    for (const a of actors) a.send({ type: "CONNECTION_REQUEST" });
    await new Promise((res) => setImmediate(res));
  }
  const s = (performance.now() - t) / 1000;
  const idle = actors.filter((a) => a.getSnapshot().value === "idle").length;
  console.log(
    `agent machine: ${Math.round((devices * rounds) / s).toLocaleString()} trigger->session->idle cycles/s (${idle}/${devices} idle at the end)`,
  );
  for (const a of actors) a.stop();
}
