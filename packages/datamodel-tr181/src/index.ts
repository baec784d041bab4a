/**
 * `@cpekit/datamodel-tr181`: the Device:2.17 (TR-181) and InternetGatewayDevice:1.14 (TR-098)
 * schemas generated from the Broadband Forum XML, and device profiles that subset them.
 * @module
 */
export * from "./decode-table.js";
export * from "./load-schema.js";
export * from "./profile-error.js";
export * from "./profiles.js";
export * from "./select-profile.js";
export * from "./table-format.js";
