/**
 * Software module management (TR-069 Annex H): the package format plugins share, ChangeDUState
 * and its completion reports, and the `Device.SoftwareModules.` view of the `SoftwareModules` port.
 * @module
 */
export * from "./deployment-unit-fault.js";
export * from "./deployment-unit-operation.js";
export * from "./deployment-unit-package.js";
export * from "./du-state-change-policy.js";
export * from "./software-module-manager.js";
export * from "./software-modules-book.js";
export * from "./software-modules-provider.js";
export * from "./software-modules-state.js";
