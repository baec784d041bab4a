/**
 * GetParameterAttributes and SetParameterAttributes (requirement section 1.11).
 *
 * - Notification 0 off, 1 passive, 2 active; 3-6 (lightweight) only when the option
 *   `lightweightNotification` is on, else fault 9003.
 * - `forceEnabled` parameters always report 2. `forceDefaultEnabled` ones start at 2.
 * - Refusals: naming a `forceEnabled` parameter with a notification other than 2, or a
 *   `canDeny` parameter with an active one (2, 5, 6), fails with 9009. Through a partial path
 *   those parameters are skipped instead (keep their notification), so "set everything below
 *   `Device.` to active" works on a tree that holds a few deniable parameters.
 * - AccessList: only `Subscriber` is defined; anything else is 9007.
 * - All structs are checked before any is applied.
 * @module
 */
import { Effect } from "effect";
import { type CwmpFault, cwmpFault } from "../cwmp/fault.js";
import type {
  Notification,
  ParameterAttributeStruct,
  SetParameterAttributesStruct,
} from "../cwmp/structs.js";
import type { DeviceContext } from "./device-context.js";
import { SUBSCRIBER_BIT } from "./device-state.js";
import { inInstanceMode, parametersForNames } from "./get-parameter-values.js";
import type { ParamNode, TreeView } from "./instance-tree.js";
import { parametersOf, resolveName } from "./instance-tree.js";
import { readValues } from "./read-values.js";
import type { ParameterSchema } from "./schema.js";

const defaultNotification = (p: ParameterSchema): Notification =>
  p.activeNotify === "forceEnabled" || p.activeNotify === "forceDefaultEnabled" ? 2 : 0;

const attributeWord = (ctx: DeviceContext, node: ParamNode): number =>
  ctx.state.attributes.get(node.path) ?? defaultNotification(node.schema);

/** The Notification value kept in a stored attribute word (its low three bits). */
export const notificationOfWord = (word: number): Notification => (word & 7) as Notification;

/** The notification attribute a parameter has now. */
export const effectiveNotification = (ctx: DeviceContext, node: ParamNode): Notification =>
  node.schema.activeNotify === "forceEnabled" ? 2 : notificationOfWord(attributeWord(ctx, node));

/** True for notification values that ask for an active report. */
const isActive = (n: number): boolean => n === 2 || n === 5 || n === 6;

/** GetParameterAttributes on one device's tree. */
export const getParameterAttributes = (
  view: TreeView,
  names: readonly string[],
): Effect.Effect<ParameterAttributeStruct[], CwmpFault> =>
  Effect.flatMap(parametersForNames(view, names), (nodes) =>
    inInstanceMode(
      view,
      nodes.map(
        (n): ParameterAttributeStruct => ({
          name: n.path,
          notification: effectiveNotification(view.ctx, n),
          accessList: attributeWord(view.ctx, n) & SUBSCRIBER_BIT ? ["Subscriber"] : [],
        }),
      ),
    ),
  );

/** SetParameterAttributes on one device's tree. */
export const setParameterAttributes = (
  view: TreeView,
  list: readonly SetParameterAttributesStruct[],
): Effect.Effect<void, CwmpFault> =>
  Effect.gen(function* () {
    const ctx = view.ctx;
    const wildcards = ctx.options.instanceWildcardsSupported === true;
    const maxNotification = ctx.options.lightweightNotification === true ? 6 : 2;
    const updates: [ParamNode, number][] = [];
    for (const s of list) {
      if (s.notificationChange && (s.notification < 0 || s.notification > maxNotification))
        return yield* cwmpFault(9003, `Notification ${s.notification} not supported`);
      if (s.accessListChange && s.accessList.some((e) => e !== "Subscriber"))
        return yield* cwmpFault(9007, "AccessList may only contain Subscriber");
      const nodes = yield* resolveName(view, s.name, wildcards);
      for (const node of nodes) {
        const direct = node.kind === "param";
        for (const p of yield* parametersOf(view, node)) {
          const word = attributeWord(ctx, p);
          let notification: number = notificationOfWord(word);
          if (s.notificationChange) {
            const refused =
              (p.schema.activeNotify === "forceEnabled" && s.notification !== 2) ||
              (p.schema.activeNotify === "canDeny" && isActive(s.notification));
            if (refused && direct)
              return yield* cwmpFault(9009, `Notification ${s.notification} refused for ${p.path}`);
            if (!refused) notification = s.notification;
          }
          const subscriber = s.accessListChange
            ? s.accessList.length > 0
              ? SUBSCRIBER_BIT
              : 0
            : word & SUBSCRIBER_BIT;
          updates.push([p, notification | subscriber]);
        }
      }
    }
    const { attributes } = ctx.state;
    const undo: (() => void)[] = [];
    for (const [p, word] of updates) {
      const before = attributes.get(p.path);
      undo.push(() =>
        before === undefined ? attributes.delete(p.path) : attributes.set(p.path, before),
      );
      // Only non-default attributes are kept: most of a fleet's parameters never get one.
      if (word === defaultNotification(p.schema)) attributes.delete(p.path);
      else attributes.set(p.path, word);
    }
    const saved = yield* Effect.either(ctx.persist);
    if (saved._tag === "Left") {
      for (const u of undo.reverse()) u();
      return yield* saved.left;
    }
    // Take the current values as the baseline of newly watched parameters (best effort: a
    // failing provider leaves the baseline to the next poll).
    const watched = updates
      .map(([p]) => p)
      .filter(
        (p) => effectiveNotification(ctx, p) !== 0 && !ctx.notifications.lastKnown.has(p.path),
      );
    if (watched.length > 0) {
      const values = yield* Effect.either(readValues(view, watched));
      if (values._tag === "Right")
        watched.forEach((p, i) => {
          ctx.notifications.lastKnown.set(p.path, values.right[i] as string);
        });
    }
  });
