/**
 * The data-model runtime: schemas, the per-device `DataModel` with the TR-069 RPC semantics,
 * value checks and path helpers.
 * @module
 */
export type { AddObjectResult } from "./add-object.js";
export * from "./compiled-schema.js";
export * from "./data-model.js";
export * from "./data-model-error.js";
export type { DataModelOptions } from "./device-context.js";
export { DATAMODEL_SECTION } from "./device-state.js";
export * from "./instance-path.js";
export * from "./schema.js";
export { isTypeCompatible, isValidLexical, isValidValue } from "./value-check.js";
export * from "./xsd-pattern.js";
