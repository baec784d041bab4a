/**
 * The part of the device's data model the built-in RPC handlers use: one method per RPC, each
 * failing with the `CwmpFault` to answer (9003 with per-parameter faults for a bad
 * SetParameterValues, 9005 for an unknown name, ...). A whole `DataModel` satisfies it; tests
 * may give a fake with just these methods.
 * @module
 */
import type { DataModel } from "../datamodel/data-model.js";

/** The data-model operations behind the parameter and object RPCs (§1.11, §1.12). */
export type RpcDataModel = Pick<
  DataModel,
  | "getParameterValues"
  | "getParameterNames"
  | "setParameterValues"
  | "getParameterAttributes"
  | "setParameterAttributes"
  | "addObject"
  | "deleteObject"
>;
