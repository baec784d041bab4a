/**
 * Device profiles: the subset of a root data model that one kind of device implements.
 * @module
 */
import {
  type DataModelSchema,
  makeSchema,
  type ObjectSchema,
  type ParameterSchema,
  parentSchemaPath,
} from "@cpekit/core";
import { ProfileError } from "./profile-error.js";
import { type ProfileName, profilePaths } from "./profiles.js";

/**
 * Subsets already selected, per schema then per profile key. Subsets are immutable and derived
 * from an immutable schema, so every device of a profile can share one; the WeakMap lets a
 * schema and its subsets go when nobody holds the schema.
 */
const selected = new WeakMap<DataModelSchema, Map<string, DataModelSchema>>();

const modelName = (schema: DataModelSchema) => `${schema.root}:${schema.version}`;

/** The schema path a listed path stands for: itself, or the table `A.B.{i}.` for `A.B.`. */
const resolveListed = (schema: DataModelSchema, path: string): string | undefined => {
  if (schema.parameters.has(path) || schema.objects.has(path)) return path;
  const table = path.endsWith(".") ? `${path}{i}.` : undefined;
  return table !== undefined && schema.objects.has(table) ? table : undefined;
};

/** The listed paths that are neither a parameter nor an object (nor a table) of `schema`. */
export const unknownProfilePaths = (
  schema: DataModelSchema,
  paths: readonly string[],
): readonly string[] => paths.filter((p) => resolveListed(schema, p) === undefined);

const collect = (schema: DataModelSchema, paths: readonly string[]) => {
  const objects = new Set<string>();
  const parameters = new Set<string>();
  const addAncestors = (path: string) => {
    for (
      let p = parentSchemaPath(path);
      p !== undefined && !objects.has(p);
      p = parentSchemaPath(p)
    ) {
      objects.add(p);
    }
  };
  const addSubtree = (objectPath: string) => {
    objects.add(objectPath);
    for (const child of schema.children(objectPath)) {
      if (schema.objects.has(child)) addSubtree(child);
      else parameters.add(child);
    }
  };
  for (const listed of paths) {
    const path = resolveListed(schema, listed);
    if (path === undefined) continue;
    if (schema.parameters.has(path)) parameters.add(path);
    else addSubtree(path);
    addAncestors(path);
  }
  // A table without its count parameter would be an inconsistent model, so it comes along.
  for (const o of objects) {
    const count = schema.objects.get(o)?.numEntriesParameter;
    if (count !== undefined) parameters.add(count);
  }
  return { objects, parameters };
};

/** The object as seen in the subset: unique keys naming a parameter outside it are dropped. */
const narrowObject = (o: ObjectSchema, parameters: ReadonlySet<string>): ObjectSchema => {
  if (o.uniqueKeys === undefined) return o;
  const keys = o.uniqueKeys.filter((k) => k.every((n) => parameters.has(`${o.path}${n}`)));
  if (keys.length === o.uniqueKeys.length) return o;
  const { uniqueKeys: _all, ...rest } = o;
  return keys.length > 0 ? { ...rest, uniqueKeys: keys } : rest;
};

const subset = (schema: DataModelSchema, paths: readonly string[]): DataModelSchema => {
  const keep = collect(schema, paths);
  const objects: ObjectSchema[] = [];
  for (const o of schema.objects.values()) {
    if (keep.objects.has(o.path)) objects.push(narrowObject(o, keep.parameters));
  }
  const parameters: ParameterSchema[] = [];
  for (const p of schema.parameters.values()) if (keep.parameters.has(p.path)) parameters.push(p);
  return makeSchema({ root: schema.root, version: schema.version, objects, parameters });
};

/**
 * The subset of `schema` a device profile implements, memoized per schema and profile (the
 * same object on every call). `profile` is a {@link ProfileName} or a list of schema paths: a
 * parameter path takes that parameter; an object path (ending in `.`) takes the object and
 * everything below it; a table may be named without its `{i}.`. The ancestors of what is taken
 * are kept as objects, and every kept table keeps its `...NumberOfEntries` parameter; unique
 * keys that name a parameter left out are dropped from their object. Schema order is kept.
 *
 * Throws a {@link ProfileError}: `UnknownPath` when a listed path is not in the schema (see
 * {@link unknownProfilePaths} to check first), `NoProfileForRoot` when the named profile has no
 * list for the schema's root.
 */
export const selectProfile = (
  schema: DataModelSchema,
  profile: ProfileName | readonly string[],
): DataModelSchema => {
  const named = typeof profile === "string";
  const key = named ? `profile:${profile}` : `paths:${profile.join("\n")}`;
  let bySchema = selected.get(schema);
  const hit = bySchema?.get(key);
  if (hit !== undefined) return hit;
  const paths = named ? profilePaths(profile, schema.root) : profile;
  const profileLabel = named ? profile : "paths";
  if (paths === undefined) {
    throw new ProfileError({
      reason: "NoProfileForRoot",
      profile: profileLabel,
      model: modelName(schema),
      paths: [],
    });
  }
  const unknown = unknownProfilePaths(schema, paths);
  if (unknown.length > 0) {
    throw new ProfileError({
      reason: "UnknownPath",
      profile: profileLabel,
      model: modelName(schema),
      paths: unknown,
    });
  }
  const result = subset(schema, paths);
  if (bySchema === undefined) {
    bySchema = new Map();
    selected.set(schema, bySchema);
  }
  bySchema.set(key, result);
  return result;
};
