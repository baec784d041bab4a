/**
 * The session machine as a test model: `xstate/graph`'s `createTestModel` accepts no invokes and
 * no delayed transitions, so this derives, from the very config of `sessionMachine`, a machine
 * with the same states, guards and actions where each invoke is left to the system under test
 * and each `after: { SessionTimeout }` becomes the event `SESSION_TIMEOUT`.
 * @module
 */
import { type AnyStateMachine, createMachine } from "xstate";
import { sessionMachine } from "../session.machine.js";

type Config = Record<string, unknown> & {
  readonly states?: Record<string, Config>;
  readonly after?: Record<string, unknown>;
  readonly on?: Record<string, unknown>;
};

const strip = (node: Config): Config => {
  const { invoke: _invoke, after, states, on, ...rest } = node;
  const timeout = after?.SessionTimeout;
  return {
    ...rest,
    ...(on !== undefined || timeout !== undefined
      ? { on: { ...on, ...(timeout === undefined ? {} : { SESSION_TIMEOUT: timeout }) } }
      : {}),
    ...(states === undefined
      ? {}
      : { states: Object.fromEntries(Object.entries(states).map(([k, v]) => [k, strip(v)])) }),
  };
};

/** The model machine (same states, transitions, guards and actions as `sessionMachine`). */
export const sessionModelMachine: AnyStateMachine = createMachine(
  strip(sessionMachine.config as unknown as Config) as never,
  sessionMachine.implementations as never,
);
