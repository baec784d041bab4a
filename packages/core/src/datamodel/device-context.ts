/**
 * What every RPC of one device works on: the shared compiled schema, the device's providers,
 * its mutable state and notification bookkeeping, and how to persist that state.
 * Internal to the data-model runtime.
 * @module
 */
import type { Effect } from "effect";
import type { CwmpFault } from "../cwmp/fault.js";
import { cwmpFault } from "../cwmp/fault.js";
import type { ParameterProvider, ProviderError } from "../ports/parameter-provider.js";
import type { CompiledSchema } from "./compiled-schema.js";
import type { DeviceState } from "./device-state.js";

/** Options that switch optional CWMP features on. */
export interface DataModelOptions {
  /** `*` instance wildcards in GPV/GPN/GPA names (Device:2.12 `InstanceWildcardsSupported`). Default false. */
  readonly instanceWildcardsSupported?: boolean;
  /** Notification values 3-6 (Annex M lightweight notification). Default false. */
  readonly lightweightNotification?: boolean;
  /**
   * Alias-based addressing (CWMP 1.4, TR-069 A.2.2.1; `ManagementServer.AliasBasedAddressing`):
   * `[alias]` segments name instances in every RPC, AddObject of `Table.[alias].` creates an
   * instance with that Alias, instances added without one get `cpe-<n>`, and with
   * `ManagementServer.InstanceMode` = `InstanceAlias` GPN/GPV/GPA answers name instances by
   * alias. Default false.
   */
  readonly aliasBasedAddressing?: boolean;
}

/** Value-change bookkeeping (in memory only: a restart re-reads values as the new baseline). */
export interface NotificationState {
  /** Last value seen of each parameter whose notification is on, by instance path. */
  readonly lastKnown: Map<string, string>;
  /**
   * Changed parameters not yet reported in an Inform, with the notification they had when
   * they changed (1, 2, 4 or 6).
   */
  readonly pending: Map<string, number>;
  /**
   * Changed parameters not yet sent in a UDP Lightweight Notification (Annex M), with the
   * notification they had (3..6) and their latest value. Independent of `pending`: a 4 or 6
   * is reported both ways.
   */
  readonly lightweight: Map<string, PendingLightweightNotification>;
}

/** A lightweight notification waiting to be sent (notification 3..6, Annex M). */
export interface PendingLightweightNotification {
  readonly notification: number;
  readonly value: string;
}

/** The context of one device's data model. */
export interface DeviceContext {
  readonly compiled: CompiledSchema;
  readonly providers: readonly ParameterProvider[];
  readonly state: DeviceState;
  readonly notifications: NotificationState;
  readonly options: DataModelOptions;
  /**
   * Values the runtime serves itself, by instance path, whoever owns the parameter
   * (`AliasBasedAddressing` and `InstanceWildcardsSupported` follow the options).
   */
  readonly fixedValues?: ReadonlyMap<string, string>;
  /** Writes the state to the store; fails with 9002 when the store does. */
  readonly persist: Effect.Effect<void, CwmpFault>;
}

const covers = (declared: string, schemaPath: string): boolean =>
  declared === schemaPath || (declared.endsWith(".") && schemaPath.startsWith(declared));

/** The provider that serves `schemaPath` (the most specific declaration wins), if any. */
export const ownerOf = (
  providers: readonly ParameterProvider[],
  schemaPath: string,
): ParameterProvider | undefined => {
  let best: ParameterProvider | undefined;
  let bestLength = -1;
  for (const p of providers) {
    for (const d of p.paths) {
      if (d.length > bestLength && covers(d, schemaPath)) {
        best = p;
        bestLength = d.length;
      }
    }
  }
  return best;
};

/** The CWMP fault for a failed provider call: the device's own code, else 9002. */
export const providerFault = (e: ProviderError): CwmpFault =>
  cwmpFault(e.faultCode ?? 9002, e.message);

/** Longest ParameterKey and CommandKey the XSD allows. */
export const MAX_PARAMETER_KEY = 32;

/**
 * The capability parameters the options switch on, read as `true` whatever is stored or
 * provided: `ManagementServer.AliasBasedAddressing` and `InstanceWildcardsSupported` (only those
 * the schema has).
 */
export const capabilityValues = (
  compiled: CompiledSchema,
  options: DataModelOptions,
): ReadonlyMap<string, string> => {
  const out = new Map<string, string>();
  const ms = `${compiled.schema.root}.ManagementServer.`;
  const on = (leaf: string, flag: boolean | undefined) => {
    if (flag === true && compiled.schema.parameters.has(`${ms}${leaf}`))
      out.set(`${ms}${leaf}`, "true");
  };
  on("AliasBasedAddressing", options.aliasBasedAddressing);
  on("InstanceWildcardsSupported", options.instanceWildcardsSupported);
  return out;
};
