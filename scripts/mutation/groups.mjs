// The mutation-testing groups: each names the files Stryker mutates and the test files that
// cover them (vitest `include` globs, relative to the repository root). Kept small so one group
// runs in minutes on a 2-core machine; a file belongs to one group only.

/** @type {Record<string, { mutate: string[]; tests: string[]; packages?: string[] }>} */
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
      "packages/core/src/soap/invalid-request.test.ts",
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
    tests: [
      "packages/core/src/agent/agent.machine*.test.ts",
      // Drives the agent machine in-process, as agent.machine.test.ts does: heartbeat timers.
      "packages/core/src/agent/heartbeat.machine.test.ts",
    ],
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
  // The setting readers STUN and XMPP share (moved out of xmpp-settings.ts).
  "setting-value": {
    mutate: ["packages/transport-http/src/internal/setting-value.ts"],
    tests: [
      "packages/transport-http/src/xmpp-settings.test.ts",
      "packages/transport-http/src/stun-settings.test.ts",
    ],
  },
  // Connection requests answered without a fiber (issue 11), shared by `run` and the fleet.
  "answer-in-place": {
    mutate: ["packages/transport-http/src/answer-in-place.ts"],
    tests: [
      "packages/transport-http/src/answer-in-place.test.ts",
      "packages/transport-http/src/connection-request-server.test.ts",
    ],
  },
  "stun-message": {
    mutate: ["packages/transport-http/src/stun-message.ts"],
    tests: [
      "packages/transport-http/src/stun-message*.test.ts",
      "packages/transport-http/src/stun-client.test.ts",
    ],
  },
  "udp-connection-request-message": {
    mutate: ["packages/transport-http/src/udp-connection-request-message.ts"],
    tests: [
      "packages/transport-http/src/udp-connection-request-message*.test.ts",
      "packages/transport-http/src/udp-connection-request.test.ts",
    ],
  },
  "fleet-store": {
    mutate: ["packages/transport-http/src/lmdb-fleet-store.ts"],
    // Not the crash test: its SIGKILLed child processes report no coverage to the runner.
    tests: [
      "packages/transport-http/src/lmdb-fleet-store.test.ts",
      "packages/transport-http/src/lmdb-fleet-store-edges.test.ts",
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
      "packages/core/src/datamodel/instance-alias.test.ts",
    ],
  },
  // Issue 13's new code (software modules, diagnostics, CPE requests, autonomous transfers).
  "autonomous-transfer-policy": {
    mutate: ["packages/core/src/agent/autonomous-transfer-policy.ts"],
    tests: ["packages/core/src/agent/autonomous-transfer-policy*.test.ts"],
  },
  "cpe-requests": {
    mutate: ["packages/core/src/agent/cpe-requests.ts"],
    tests: ["packages/core/src/agent/cpe-requests*.test.ts"],
  },
  "deployment-unit-package": {
    mutate: ["packages/core/src/software-modules/deployment-unit-package.ts"],
    tests: [
      "packages/core/src/software-modules/deployment-unit-package*.test.ts",
      "packages/core/src/software-modules/deployment-unit-operation.test.ts",
      "packages/core/src/software-modules/software-modules-provider.test.ts",
    ],
  },
  "diagnostics-manager": {
    mutate: ["packages/core/src/diagnostics/diagnostics-manager.ts"],
    tests: [
      "packages/core/src/diagnostics/diagnostics-manager*.test.ts",
      "packages/core/src/diagnostics/diagnostics-agent.test.ts",
    ],
  },
  "software-module-manager": {
    mutate: ["packages/core/src/software-modules/software-module-manager.ts"],
    tests: [
      "packages/core/src/software-modules/software-module-manager*.test.ts",
      "packages/core/src/software-modules/software-modules-agent*.test.ts",
    ],
  },
  "quecpython-app-package": {
    mutate: ["packages/plugin-quecpython/src/software/app-package.ts"],
    tests: ["packages/plugin-quecpython/src/software/app-package*.test.ts"],
    // The sandbox copies only packages/core and transport-http unless a group names more.
    packages: ["plugin-quecpython", "datamodel-tr181"],
  },
  "quecpython-app-upload": {
    mutate: ["packages/plugin-quecpython/src/software/app-upload.ts"],
    tests: ["packages/plugin-quecpython/src/software/app-upload*.test.ts"],
    packages: ["plugin-quecpython", "datamodel-tr181"],
  },
  "quecpython-app-inventory": {
    mutate: ["packages/plugin-quecpython/src/software/app-inventory.ts"],
    tests: ["packages/plugin-quecpython/src/software/app-inventory*.test.ts"],
    packages: ["plugin-quecpython", "datamodel-tr181"],
  },
  "quecpython-diagnostics": {
    mutate: ["packages/plugin-quecpython/src/diagnostics/quecpython-diagnostics.ts"],
    tests: ["packages/plugin-quecpython/src/diagnostics/quecpython-diagnostics*.test.ts"],
    packages: ["plugin-quecpython", "datamodel-tr181"],
  },
};

/** Where a group's incremental result (a mutation-testing report, committed) lives. */
export const resultFile = (group) => `docs/mutation/${group}.json`;
