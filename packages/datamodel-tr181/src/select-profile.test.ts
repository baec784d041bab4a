import { type DataModelSchema, parentSchemaPath } from "@cpekit/core";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { loadDevice2Schema, loadIgd1Schema } from "./load-schema.js";
import { isProfileError, type ProfileError } from "./profile-error.js";
import { selectProfile, unknownProfilePaths } from "./select-profile.js";

const full = loadDevice2Schema();
const allPaths = [...full.objects.keys(), ...full.parameters.keys()];
// Listed paths: mostly parameters and deep objects, sometimes a whole top-level subtree.
const listed = fc.uniqueArray(fc.constantFrom(...allPaths), { minLength: 1, maxLength: 6 });

const ancestors = (path: string): string[] => {
  const out: string[] = [];
  for (let p = parentSchemaPath(path); p !== undefined; p = parentSchemaPath(p)) out.push(p);
  return out;
};

/** The expected subset, computed by prefix matching rather than by walking children(). */
const expectedSubset = (paths: readonly string[]) => {
  const listedObjects = paths.filter((p) => p.endsWith("."));
  const under = (p: string) => listedObjects.some((o) => p.startsWith(o));
  const objects = new Set([...full.objects.keys()].filter(under));
  for (const p of paths) for (const a of ancestors(p)) objects.add(a);
  const parameters = new Set(
    [...full.parameters.keys()].filter((p) => paths.includes(p) || under(p)),
  );
  for (const o of objects) {
    const count = full.objects.get(o)?.numEntriesParameter;
    if (count !== undefined) parameters.add(count);
  }
  return { objects, parameters };
};

const catchProfileError = (f: () => unknown): ProfileError | undefined => {
  try {
    f();
  } catch (e) {
    if (isProfileError(e)) return e;
    throw e;
  }
  return undefined;
};

const childrenConsistent = (subset: DataModelSchema) =>
  [...subset.objects.keys()].every((o) => {
    const kept = full.children(o).filter((c) => subset.objects.has(c) || subset.parameters.has(c));
    return JSON.stringify(subset.children(o)) === JSON.stringify(kept);
  });

describe("selectProfile", () => {
  test.prop([listed], { numRuns: 40 })(
    "keeps exactly the listed items, their subtrees, their ancestors and the tables' counts",
    (paths) => {
      const subset = selectProfile(full, paths);
      const expected = expectedSubset(paths);
      expect(new Set(subset.objects.keys())).toEqual(expected.objects);
      expect(new Set(subset.parameters.keys())).toEqual(expected.parameters);
    },
  );

  test.prop([listed], { numRuns: 40 })(
    "children() of a kept object lists its kept children in the full schema's order",
    (paths) => {
      const subset = selectProfile(full, paths);
      expect(childrenConsistent(subset)).toBe(true);
      const orphans = [...subset.objects.keys(), ...subset.parameters.keys()].filter((p) => {
        const parent = parentSchemaPath(p);
        return parent !== undefined && !subset.objects.has(parent);
      });
      expect(orphans).toEqual([]);
    },
  );

  test.prop([listed], { numRuns: 20 })(
    "is memoized: an equal path list gives the same schema object",
    (paths) => {
      expect(selectProfile(full, [...paths])).toBe(selectProfile(full, [...paths]));
    },
  );

  it("shares parameter schemas with the full schema (no copy per profile)", () => {
    const subset = selectProfile(full, ["Device.ManagementServer.URL"]);
    const url = "Device.ManagementServer.URL";
    expect(subset.parameters.get(url)).toBe(full.parameters.get(url));
    expect([...subset.parameters.keys()]).toEqual([url]);
    expect([...subset.objects.keys()]).toEqual(["Device.", "Device.ManagementServer."]);
  });

  it("takes a table named without its {i}.", () => {
    const short = selectProfile(full, ["Device.NAT.PortMapping."]);
    const long = selectProfile(full, ["Device.NAT.PortMapping.{i}."]);
    expect([...short.parameters.keys()]).toEqual([...long.parameters.keys()]);
    expect(short.parameters.has("Device.NAT.PortMapping.{i}.ExternalPort")).toBe(true);
    expect(short.parameters.has("Device.NAT.PortMappingNumberOfEntries")).toBe(true);
  });

  it("drops unique keys that name a parameter left out", () => {
    const subset = selectProfile(full, ["Device.IP.Interface.{i}.Name"]);
    expect(subset.objects.get("Device.IP.Interface.{i}.")?.uniqueKeys).toEqual([["Name"]]);
    const none = selectProfile(full, ["Device.IP.Interface.{i}.Enable"]);
    expect(none.objects.get("Device.IP.Interface.{i}.")?.uniqueKeys).toBeUndefined();
    expect(full.objects.get("Device.IP.Interface.{i}.")?.uniqueKeys).toEqual([["Alias"], ["Name"]]);
  });

  it("fails with ProfileError UnknownPath naming each path not in the schema", () => {
    const paths = ["Device.ManagementServer.URL", "Device.Nope", "Device.IP.Interface.{i}.Nope."];
    expect(unknownProfilePaths(full, paths)).toEqual(paths.slice(1));
    const error = catchProfileError(() => selectProfile(full, paths));
    expect(error?.reason).toBe("UnknownPath");
    expect(error?.paths).toEqual(paths.slice(1));
    expect(error?.message).toContain("Device:2.17");
  });

  it("fails with ProfileError NoProfileForRoot for a named profile the root lacks", () => {
    const error = catchProfileError(() => selectProfile(loadIgd1Schema(), "cellular-module"));
    expect(error?.reason).toBe("NoProfileForRoot");
    const unknownName = catchProfileError(() =>
      selectProfile(full, "no-such-profile" as "home-gateway"),
    );
    expect(unknownName?.reason).toBe("NoProfileForRoot");
  });

  it("memoizes named profiles per schema", () => {
    const a = selectProfile(full, "cellular-module");
    expect(selectProfile(full, "cellular-module")).toBe(a);
    expect(selectProfile(full, "home-gateway")).not.toBe(a);
  });
});
