/**
 * Value-change notifications (requirement section 1.11): compares values seen on the device
 * (pushed by a provider, reported by local code, or found by a poll) with the last known
 * values of parameters whose notification is on, and keeps the changed ones pending until an
 * Inform delivered them.
 *
 * Changes made by the ACS through SetParameterValues never notify: they update the baseline.
 * Pending entries keep the notification the parameter had when it changed: 1, 4 and 6 are
 * passive (reported in the next Inform), 2 active (it asks for a `4 VALUE CHANGE` session);
 * 3 and 5 are lightweight-only and never enter a CWMP Inform. Values 3..6 are also kept, with
 * the value, for the next UDP Lightweight Notification (Annex M): the two mechanisms are
 * independent (cwmp-1-4.xsd on values 4 and 6).
 * @module
 */
import { Effect } from "effect";
import type { CwmpFault } from "../cwmp/fault.js";
import type { ParameterChange } from "../ports/parameter-provider.js";
import { type DeviceContext, ownerOf } from "./device-context.js";
import type { ParamNode, TreeView } from "./instance-tree.js";
import { expandSchemaPath, resolveName } from "./instance-tree.js";
import { effectiveNotification, notificationOfWord } from "./parameter-attributes.js";
import { readValues } from "./read-values.js";

/**
 * True when a pending notification value asks for an active report (a `4 VALUE CHANGE`
 * session). Only 2: value 6 is passive for the Inform, its active part is lightweight
 * (cwmp-1-4.xsd: "combines 1 (Passive notification) and 5 (Active lightweight)").
 */
export const isActiveReport = (n: number): boolean => n === 2;

/** True when a pending notification value goes in the next Inform. */
export const isInformReport = (n: number): boolean => n === 1 || n === 2 || n === 4 || n === 6;

/** True for the lightweight notification values (3..6, Annex M). */
export const isLightweightReport = (n: number): boolean => n >= 3 && n <= 6;

/** True when a lightweight notification value asks for a message at once (5, 6). */
export const isActiveLightweightReport = (n: number): boolean => n === 5 || n === 6;

const compare = (view: TreeView, node: ParamNode, value: string, changed: string[]): void => {
  const { lastKnown, pending, lightweight } = view.ctx.notifications;
  const before = lastKnown.get(node.path);
  const notification = effectiveNotification(view.ctx, node);
  if (notification === 0) {
    lastKnown.delete(node.path);
    return;
  }
  lastKnown.set(node.path, value);
  if (before === undefined || before === value) return;
  if (isInformReport(notification)) pending.set(node.path, notification);
  if (isLightweightReport(notification)) lightweight.set(node.path, { notification, value });
  changed.push(node.path);
};

/**
 * Records values changed on the device side. Store-owned parameters take the new value (and it
 * is persisted); every watched parameter whose value differs from its baseline becomes
 * pending. Unknown names are ignored (a provider may report more than the schema knows).
 * Returns the names that became pending.
 */
export const recordChanges = (
  view: TreeView,
  changes: readonly ParameterChange[],
): Effect.Effect<readonly string[], CwmpFault> =>
  Effect.gen(function* () {
    const ctx = view.ctx;
    const changed: string[] = [];
    let stored = false;
    for (const c of changes) {
      const nodes = yield* Effect.orElseSucceed(resolveName(view, c.path, false), () => []);
      const node = nodes[0];
      if (node === undefined || node.kind !== "param") continue;
      if (ownerOf(ctx.providers, node.schema.path) === undefined) {
        // The baseline of a store-owned value is the value held before this change.
        if (!ctx.notifications.lastKnown.has(node.path) && effectiveNotification(ctx, node) !== 0)
          ctx.notifications.lastKnown.set(
            node.path,
            (yield* readValues(view, [node]))[0] as string,
          );
        ctx.state.values.set(node.path, c.value);
        stored = true;
      }
      compare(view, node, c.value, changed);
    }
    if (stored) yield* ctx.persist;
    return changed;
  });

/**
 * Every parameter whose notification is on now; of the ones active by default, only those of
 * a schema path `keep` accepts (a poll skips store-owned ones before expanding their tables,
 * so an idle device with nothing provider-owned watched polls for next to nothing).
 */
const watchedParameters = (
  view: TreeView,
  keep: (schemaPath: string) => boolean = () => true,
): Effect.Effect<readonly ParamNode[], CwmpFault> =>
  Effect.gen(function* () {
    const ctx = view.ctx;
    const byPath = new Map<string, ParamNode>();
    for (const schemaPath of ctx.compiled.activeByDefault) {
      if (!keep(schemaPath)) continue;
      for (const n of yield* expandSchemaPath(view, schemaPath)) byPath.set(n.path, n);
    }
    for (const [path, word] of ctx.state.attributes) {
      if ((word & 7) === 0 || byPath.has(path)) continue;
      const nodes = yield* Effect.orElseSucceed(resolveName(view, path, false), () => []);
      const node = nodes[0];
      if (node?.kind === "param") byPath.set(path, node);
    }
    return [...byPath.values()].filter((n) => effectiveNotification(ctx, n) !== 0);
  });

/**
 * Whether a poll of this device may find anything to read: false when no provider-owned
 * parameter is active by default and no attribute turns a notification on. Then a poll has
 * nothing to do and skips the device's lock and tree walk: a fleet polls thousands of idle
 * devices a minute (issue 11). Conservative: an attribute with notification on counts whoever
 * owns it; the schema paths active by default are checked once, the providers being fixed.
 */
export const makePollNeeded = (ctx: DeviceContext): (() => boolean) => {
  if (ctx.providers.length === 0) return () => false;
  const activeProviderOwned = ctx.compiled.activeByDefault.some(
    (schemaPath) => ownerOf(ctx.providers, schemaPath) !== undefined,
  );
  if (activeProviderOwned) return () => true;
  return () => {
    for (const word of ctx.state.attributes.values())
      if (notificationOfWord(word) !== 0) return true;
    return false;
  };
};

/**
 * Reads every watched provider-owned parameter (one batched get per provider) and records the
 * changes. A parameter seen for the first time only sets its baseline. Returns the names that
 * became pending.
 */
export const pollChanges = (view: TreeView): Effect.Effect<readonly string[], CwmpFault> =>
  Effect.gen(function* () {
    const ctx = view.ctx;
    const providerOwned = (schemaPath: string) => ownerOf(ctx.providers, schemaPath) !== undefined;
    const watched = (yield* watchedParameters(view, providerOwned)).filter((n) =>
      providerOwned(n.schema.path),
    );
    const values = yield* readValues(view, watched);
    const changed: string[] = [];
    watched.forEach((n, i) => {
      compare(view, n, values[i] as string, changed);
    });
    return changed;
  });
