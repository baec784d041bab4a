/**
 * A {@link DataModelSchema} prepared for the runtime: patterns compiled once, and the lists the
 * Inform and notification rules need. Compile a schema once and share the result between every
 * device of the process; it is immutable.
 * @module
 */
import { Either } from "effect";
import type { DataModelSchema, ParameterSchema } from "./schema.js";
import { compileXsdPattern } from "./xsd-pattern.js";

/** A schema with its per-schema caches. */
export interface CompiledSchema {
  readonly schema: DataModelSchema;
  /** Compiled `pattern` facets by parameter schema path (only parameters that have some). */
  readonly patterns: ReadonlyMap<string, readonly RegExp[]>;
  /** Patterns that could not be compiled; those parameters accept any pattern-wise value. */
  readonly warnings: readonly string[];
  /** Schema paths of `forcedInform` parameters, in schema order. */
  readonly forcedInform: readonly string[];
  /** Schema paths of parameters whose notification defaults to active. */
  readonly activeByDefault: readonly string[];
  /** `<root>.ManagementServer.ParameterKey`. */
  readonly parameterKeyPath: string;
  /** `<root>.ManagementServer.InformParameter.{i}.` when the schema has that table. */
  readonly informParameterTable: string | undefined;
}

const isActiveByDefault = (p: ParameterSchema): boolean =>
  p.activeNotify === "forceEnabled" || p.activeNotify === "forceDefaultEnabled";

/** Compiles `schema` (pattern facets, Inform lists). */
export const compileSchema = (schema: DataModelSchema): CompiledSchema => {
  const patterns = new Map<string, readonly RegExp[]>();
  const warnings: string[] = [];
  const forcedInform: string[] = [];
  const activeByDefault: string[] = [];
  for (const p of schema.parameters.values()) {
    if (p.patterns !== undefined && p.patterns.length > 0) {
      const compiled: RegExp[] = [];
      for (const source of p.patterns) {
        const r = compileXsdPattern(source);
        if (Either.isRight(r)) compiled.push(r.right);
        else warnings.push(`${p.path}: ${r.left}`);
      }
      // When one pattern of several cannot be compiled, keep none: accepting too much beats
      // refusing a value the data model allows.
      if (compiled.length === p.patterns.length) patterns.set(p.path, compiled);
    }
    if (p.forcedInform) forcedInform.push(p.path);
    if (isActiveByDefault(p)) activeByDefault.push(p.path);
  }
  const informTable = `${schema.root}.ManagementServer.InformParameter.{i}.`;
  return {
    schema,
    patterns,
    warnings,
    forcedInform,
    activeByDefault,
    parameterKeyPath: `${schema.root}.ManagementServer.ParameterKey`,
    informParameterTable: schema.objects.has(informTable) ? informTable : undefined,
  };
};
