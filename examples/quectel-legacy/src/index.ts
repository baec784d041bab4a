/**
 * Example: Quectel's legacy `requestOptions` object and handler table carried over unchanged
 * (`legacy-agent.ts`), next to the cpekit way of writing the same agent (`cpekit-agent.ts`).
 * See README.md.
 * @module
 */
export * from "./cpekit-agent.js";
export * from "./legacy-agent.js";
export * from "./module-device.js";
