/**
 * Reading a connection setting from the data model with a fallback (STUN, XMPP): the stored
 * text wins when it is usable, otherwise the fallback applies (a profile's value, a default).
 * @module
 */
import { Option } from "effect";

/** The integer in `v` (decimal, optionally negative), or `fallback` when absent or not one. */
export const integerOr = (v: Option.Option<string>, fallback: number): number =>
  Option.match(v, {
    onNone: () => fallback,
    onSome: (t) => (/^-?\d+$/.test(t.trim()) ? Number(t) : fallback),
  });

/**
 * The text in `v`, or `fallback` when absent or empty: an unset string parameter reads as "",
 * which names no server or account.
 */
export const nonEmptyOr = (v: Option.Option<string>, fallback: string): string =>
  Option.getOrElse(
    Option.filter(v, (t) => t !== ""),
    () => fallback,
  );
