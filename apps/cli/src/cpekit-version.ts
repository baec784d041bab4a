/**
 * cpekit's version: the `version` of this CLI's package.json, found by the package's own name
 * (its `exports` lists `./package.json`), so that `src/` (tests, tsx), `dist/` and the bundled
 * bin's chunks under `dist/bin/` read the same file.
 * @module
 */
import { createRequire } from "node:module";

/** The version of cpekit, `0.0.0` when package.json has none. */
export const cpekitVersion = (): string => {
  const pkg = createRequire(import.meta.url)("cpekit/package.json") as { version?: string };
  return pkg.version ?? "0.0.0";
};
