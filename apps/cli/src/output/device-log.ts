/**
 * The text lines of the `run` log: one per session start and end, one per exchange (the RPC the
 * device sent and what came back), one per device action; with `verbose`, the SOAP envelopes
 * follow each exchange, indented.
 * @module
 */
import type { DeviceEvent } from "../device/device-event.js";

const indent = (text: string): string =>
  text
    .trim()
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");

/** The log lines of one device event (none for events not worth a line). */
export const deviceLogLines = (event: DeviceEvent, verbose: boolean): readonly string[] => {
  switch (event.type) {
    case "started":
      return [
        `agent started (boot ${event.boot}); connection requests at ${event.connectionRequestUrl}`,
      ];
    case "firmwareApplied":
      return [
        `firmware image applied (${event.bytes} bytes${event.targetFileName === "" ? "" : `, ${event.targetFileName}`})`,
      ];
    case "fileApplied":
      return [`file applied (${event.fileType}, ${event.bytes} bytes)`];
    case "restarting":
      return [
        event.reason === "reboot"
          ? "rebooting: the agent restarts over the same store"
          : "factory reset: the store is cleared and the agent restarts",
      ];
    case "traffic": {
      const t = event.event;
      const tag = `session ${t.session}:`;
      switch (t.type) {
        case "sessionOpened":
          return [`${tag} open to ${t.url}`];
        case "sessionClosed":
          return [`${tag} closed after ${t.exchanges} exchange${t.exchanges === 1 ? "" : "s"}`];
        case "exchangeFailed":
          return [`${tag} ${t.sent} -> failed: ${t.error.message}`];
        case "exchange": {
          const line = `${tag} ${t.sent} -> ${t.received}`;
          if (!verbose) return [line];
          return [
            line,
            `  CPE -> ACS:\n${t.requestBody === "" ? "    (empty)" : indent(t.requestBody)}`,
            `  ACS -> CPE (HTTP ${t.status}):\n${t.responseBody === "" ? "    (empty)" : indent(t.responseBody)}`,
          ];
        }
      }
    }
  }
};
