/**
 * Resolves named data types (`IPv4Address` -> `IPAddress` -> `string`) to their base XSD type
 * and the facets in force, keeping the name the parameter was declared with.
 *
 * Facets are inherited per kind: a derived type or a parameter that writes sizes replaces the
 * inherited sizes, and so on for ranges, enumerations, patterns and the list facet. That is how
 * the BBF files use derivation (each step narrows what it writes).
 * @module
 */
import type { StandardValueType } from "@cpekit/core";
import { GenerateError } from "./generate-error.js";
import type { DataTypeDef, Facets, TypeSpec } from "./read-data-model.js";

/** A syntax with its named type resolved. */
export interface ResolvedSyntax extends Facets {
  readonly type: StandardValueType;
  readonly dataType?: string;
}

/** Resolves type specs against a model's own data types, falling back to a types file. */
export interface SyntaxResolver {
  resolve(spec: TypeSpec, where: string): ResolvedSyntax;
  /** Names taken from the fallback types file so far, sorted. */
  fallbackNamesUsed(): readonly string[];
}

const mergeFacets = (base: Facets, own: Facets): Facets => ({ ...base, ...own });

/**
 * Makes a resolver. `own` are the data types defined in the model file (they win), `fallback`
 * those of `tr-106-types.xml`, used for names the model file does not define.
 */
export const makeSyntaxResolver = (
  own: readonly DataTypeDef[],
  fallback: readonly DataTypeDef[],
): SyntaxResolver => {
  const ownByName = new Map(own.map((d) => [d.name, d] as const));
  const fallbackByName = new Map(fallback.map((d) => [d.name, d] as const));
  const usedFallback = new Set<string>();
  const resolved = new Map<string, ResolvedSyntax>();

  const resolveNamed = (name: string, chain: readonly string[]): ResolvedSyntax => {
    const done = resolved.get(name);
    if (done !== undefined) return done;
    if (chain.includes(name)) {
      throw new GenerateError({ reason: "DataTypeCycle", detail: [...chain, name].join(" -> ") });
    }
    let def = ownByName.get(name);
    if (def === undefined) {
      def = fallbackByName.get(name);
      if (def !== undefined) usedFallback.add(name);
    }
    if (def === undefined) {
      throw new GenerateError({
        reason: "UnknownDataType",
        detail: `${name} (${chain.join(" -> ")})`,
      });
    }
    const result = resolveSpec(def.spec, [...chain, name]);
    resolved.set(name, result);
    return result;
  };

  const resolveSpec = (spec: TypeSpec, chain: readonly string[]): ResolvedSyntax => {
    if (spec.type !== undefined) return { ...spec.facets, type: spec.type };
    if (spec.dataTypeRef === undefined) {
      throw new GenerateError({ reason: "NoBaseType", detail: chain.join(" -> ") });
    }
    const base = resolveNamed(spec.dataTypeRef, chain);
    const { type, dataType: _named, ...baseFacets } = base;
    return { ...mergeFacets(baseFacets, spec.facets), type };
  };

  return {
    resolve: (spec, where) => {
      const result = resolveSpec(spec, [where]);
      return spec.dataTypeRef === undefined ? result : { ...result, dataType: spec.dataTypeRef };
    },
    fallbackNamesUsed: () => [...usedFallback].sort(),
  };
};
