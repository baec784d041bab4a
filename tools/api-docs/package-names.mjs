// @ts-check
/**
 * A TypeDoc plugin: names each entry-point module after its package (`@cpekit/core`) instead of
 * its folder (`packages/core/src`), so one program (fast) still reads as a per-package reference.
 */
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Converter, ReflectionKind } from "typedoc";

// Module names are the entry points' folders relative to the repository root.
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** @param {import("typedoc").Application} app */
export const load = (app) => {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const module of context.project.getReflectionsByKind(ReflectionKind.Module)) {
      const pkg = join(repoRoot, dirname(module.name), "package.json");
      module.name = JSON.parse(readFileSync(pkg, "utf8")).name;
    }
  });
};
