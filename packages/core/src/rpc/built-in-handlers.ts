/**
 * The built-in handlers of the ACS -> CPE methods over the data model and the device actions,
 * and a registry holding them. Transfer methods are added by the agent's transfer manager
 * (`transfer-manager.ts`).
 * @module
 */
import { addObjectHandler } from "./add-object.js";
import { deleteObjectHandler } from "./delete-object.js";
import { factoryResetHandler } from "./factory-reset.js";
import { getParameterAttributesHandler } from "./get-parameter-attributes.js";
import { getParameterNamesHandler } from "./get-parameter-names.js";
import { getParameterValuesHandler } from "./get-parameter-values.js";
import { getRpcMethodsHandler } from "./get-rpc-methods.js";
import { rebootHandler } from "./reboot.js";
import type { RpcHandler } from "./rpc-handler.js";
import { makeRpcRegistry, type RpcRegistry } from "./rpc-registry.js";
import { scheduleInformHandler } from "./schedule-inform.js";
import { setParameterAttributesHandler } from "./set-parameter-attributes.js";
import { setParameterValuesHandler } from "./set-parameter-values.js";

/** The built-in handlers by method name, in the order of Table 5 (§1.4). */
export const builtInHandlers: ReadonlyArray<readonly [string, RpcHandler]> = [
  ["GetRPCMethods", getRpcMethodsHandler],
  ["SetParameterValues", setParameterValuesHandler],
  ["GetParameterValues", getParameterValuesHandler],
  ["GetParameterNames", getParameterNamesHandler],
  ["SetParameterAttributes", setParameterAttributesHandler],
  ["GetParameterAttributes", getParameterAttributesHandler],
  ["AddObject", addObjectHandler],
  ["DeleteObject", deleteObjectHandler],
  ["Reboot", rebootHandler],
  ["FactoryReset", factoryResetHandler],
  ["ScheduleInform", scheduleInformHandler],
];

/** A new registry (one per agent) holding the built-in handlers. */
export const makeBuiltInRpcRegistry = (): RpcRegistry => makeRpcRegistry(builtInHandlers);
