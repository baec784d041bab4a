/**
 * Escapes control characters (C0, DEL, C1) as `\uXXXX`, so that a device key, section name or
 * path taken from outside cannot rewrite a terminal or split a log line when an error prints it.
 * @module
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** `text` with every control character written as `\uXXXX`. */
export const escapeControl = (text: string): string =>
  text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
