// The mutation-testing groups: each names the files Stryker mutates and the test files that
// cover them (vitest `include` globs, relative to the repository root). Kept small so one group
// runs in minutes on a 2-core machine; a file belongs to one group only.

/** @type {Record<string, { mutate: string[]; tests: string[] }>} */
export const groups = {
  "retry-policy": {
    mutate: ["packages/core/src/agent/retry-policy.ts"],
    tests: ["packages/core/src/agent/retry-policy*.test.ts"],
  },
  "event-queue": {
    mutate: ["packages/core/src/agent/event-queue.ts"],
    tests: ["packages/core/src/agent/event-queue*.test.ts"],
  },
  "set-parameter-values": {
    mutate: [
      "packages/core/src/datamodel/set-parameter-values.ts",
      "packages/core/src/rpc/set-parameter-values.ts",
    ],
    tests: [
      "packages/core/src/datamodel/set-parameter-values*.test.ts",
      "packages/core/src/datamodel/data-model.test.ts",
      "packages/core/src/datamodel/data-model.properties.test.ts",
      "packages/core/src/datamodel/value-change-tracking.test.ts",
      "packages/core/src/rpc/built-in-handlers.test.ts",
    ],
  },
  "value-check": {
    mutate: ["packages/core/src/datamodel/value-check.ts"],
    tests: [
      "packages/core/src/datamodel/value-check*.test.ts",
      "packages/core/src/datamodel/set-parameter-values*.test.ts",
      "packages/core/src/datamodel/data-model.test.ts",
    ],
  },
  "digest-verifier": {
    mutate: ["packages/transport-http/src/digest-verifier.ts"],
    tests: [
      "packages/transport-http/src/digest-auth.test.ts",
      "packages/transport-http/src/digest-verifier*.test.ts",
    ],
  },
  "input-guard": {
    mutate: ["packages/core/src/soap/input-guard.ts"],
    tests: [
      "packages/core/src/soap/hostile-input.test.ts",
      "packages/core/src/soap/input-guard*.test.ts",
      "packages/core/src/soap/entity-decoding.test.ts",
    ],
  },
  "decode-envelope": {
    mutate: ["packages/core/src/soap/decode-envelope.ts"],
    tests: [
      "packages/core/src/soap/decode-envelope*.test.ts",
      "packages/core/src/soap/golden.test.ts",
      "packages/core/src/soap/round-trip.test.ts",
      "packages/core/src/soap/hostile-input.test.ts",
      "packages/core/src/soap/entity-decoding.test.ts",
      "packages/core/src/soap/rpc/*.test.ts",
    ],
  },
  "session.machine": {
    mutate: ["packages/core/src/session/session.machine.ts"],
    tests: [
      "packages/core/src/session/session.machine*.test.ts",
      "packages/core/src/session/session.model.test.ts",
      "packages/core/src/session/session.actor.test.ts",
      "packages/core/src/session/run-session.test.ts",
      "packages/core/src/session/session-hold-requests.test.ts",
    ],
  },
  "agent.machine": {
    mutate: ["packages/core/src/agent/agent.machine.ts"],
    tests: ["packages/core/src/agent/agent.machine*.test.ts"],
  },
  "xmpp-connection-request": {
    mutate: [
      "packages/transport-http/src/xmpp-connection-request-decision.ts",
      "packages/transport-http/src/xmpp-settings.ts",
    ],
    tests: [
      "packages/transport-http/src/xmpp-connection-request-decision.test.ts",
      "packages/transport-http/src/xmpp-connection-request.test.ts",
      "packages/transport-http/src/xmpp-data-model.test.ts",
      "packages/transport-http/src/xmpp-settings.test.ts",
    ],
  },
  "instance-tree": {
    mutate: ["packages/core/src/datamodel/instance-tree.ts"],
    tests: [
      "packages/core/src/datamodel/data-model*.test.ts",
      "packages/core/src/datamodel/get-parameter-names.test.ts",
      "packages/core/src/datamodel/get-parameter-values.test.ts",
      "packages/core/src/datamodel/object-lifecycle.test.ts",
      "packages/core/src/datamodel/instance-tree*.test.ts",
    ],
  },
};

/** Where a group's incremental result (a mutation-testing report, committed) lives. */
export const resultFile = (group) => `docs/mutation/${group}.json`;
