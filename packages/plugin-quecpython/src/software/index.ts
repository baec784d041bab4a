/**
 * Software modules on a QuecPython module: app packages, their upload with a checksum, the
 * module's inventory, and the `SoftwareModules` port over the bridge.
 * @module
 */
export * from "./app-inventory.js";
export * from "./app-package.js";
export * from "./app-upload.js";
export * from "./app-uuid.js";
export * from "./quecpython-software-modules.js";
