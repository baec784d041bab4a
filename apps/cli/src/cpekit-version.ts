/**
 * cpekit's version: the `version` of this CLI's package.json, read from `src/` (tests, tsx) and
 * `dist/` (the bin) alike, package.json being one level up from both.
 * @module
 */
import { createRequire } from "node:module";

/** The version of cpekit, `0.0.0` when package.json has none. */
export const cpekitVersion = (): string => {
  const pkg = createRequire(import.meta.url)("../package.json") as { version?: string };
  return pkg.version ?? "0.0.0";
};
