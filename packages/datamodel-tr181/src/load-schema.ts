/**
 * The generated root data models as schemas, built on first use and then shared.
 * @module
 */
import type { DataModelSchema } from "@cpekit/core";
import { decodeTable } from "./decode-table.js";
import { device2Table } from "./generated/device-2.js";
import { igd1Table } from "./generated/igd-1.js";
import type { DataModelTable } from "./table-format.js";

/**
 * A function that builds its schema once and then returns the same object.
 * The cached schema is immutable and identical for every device, which is why a per-process
 * cache is right here: thousands of simulated devices share one schema, and no device's
 * memory holds schema data of its own.
 */
const memoized = (table: () => DataModelTable): (() => DataModelSchema) => {
  let schema: DataModelSchema | undefined;
  return () => {
    schema ??= decodeTable(table());
    return schema;
  };
};

/**
 * The Device:2.17 schema (TR-181 Issue 2, CWMP flavour): every current and deprecated object
 * and parameter. Built on the first call (a few tens of milliseconds), the same object after.
 */
export const loadDevice2Schema: () => DataModelSchema = memoized(device2Table);

/**
 * The InternetGatewayDevice:1.14 schema (TR-098 Amendment 8 full model). Built on the first
 * call, the same object after.
 */
export const loadIgd1Schema: () => DataModelSchema = memoized(igd1Table);
