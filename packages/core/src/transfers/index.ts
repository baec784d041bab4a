/**
 * File transfers of the agent (requirements section 1.13): Download, Upload, ScheduleDownload
 * and their queue, persisted so that a restart finishes or reports them.
 * @module
 */
export * from "./time-window.js";
export * from "./transfer-manager.js";
export * from "./transfer-record.js";
export * from "./transfer-runner.js";
export * from "./transfer-store.js";
