/**
 * The QuecPython device: TR-181 mapping and provider over the bridge, device actions, and
 * `makeQuecPythonDevice`, which assembles them for an agent.
 * @module
 */
export * from "./bridge-actions.js";
export * from "./bridge-provider.js";
export * from "./cellular-enumerations.js";
export * from "./download-url-book.js";
export * from "./fota-fault.js";
export * from "./link-ready.js";
export * from "./module-connection.js";
export * from "./quecpython-device.js";
export * from "./quecpython-device-error.js";
export * from "./quecpython-options.js";
export * from "./tr181-mapping.js";
