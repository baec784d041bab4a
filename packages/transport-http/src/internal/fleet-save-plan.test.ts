import { describe, expect, it } from "vitest";
import { planSave } from "./fleet-save-plan.js";

const b = (s: string) => Buffer.from(s);
const keysOf = (entries: readonly (readonly [Buffer, Buffer])[]) =>
  entries.map(([k]) => k.toString());

describe("planSave (LMDB fleet store)", () => {
  const stored = new Map([
    ["s:events", b("[1]")],
    ["s:datamodel", b('{"a":1}')],
    ["s:transfers", b("[]")],
    ["m", b('["events","datamodel","transfers"]')],
  ]);
  const read = (k: Buffer) => stored.get(k.toString());
  const storedSections = [b("s:events"), b("s:datamodel"), b("s:transfers")];

  it("writes nothing when every entry is stored with the same bytes", () => {
    const plan = planSave(
      [
        [b("s:events"), b("[1]")],
        [b("s:datamodel"), b('{"a":1}')],
        [b("s:transfers"), b("[]")],
      ],
      [b("m"), b('["events","datamodel","transfers"]')],
      read,
      storedSections,
    );
    expect(plan).toEqual({ puts: [], removes: [] });
  });

  it("puts only the section whose bytes changed", () => {
    const plan = planSave(
      [
        [b("s:events"), b("[1,2]")],
        [b("s:datamodel"), b('{"a":1}')],
        [b("s:transfers"), b("[]")],
      ],
      [b("m"), b('["events","datamodel","transfers"]')],
      read,
      storedSections,
    );
    expect(keysOf(plan.puts)).toEqual(["s:events"]);
    expect(plan.removes).toEqual([]);
  });

  it("puts a section and the manifest that were never stored", () => {
    const plan = planSave([[b("s:new"), b("1")]], [b("m2"), b('["new"]')], read, []);
    expect(keysOf(plan.puts)).toEqual(["s:new", "m2"]);
  });

  it("removes a stored section the document no longer has, and rewrites the manifest", () => {
    const plan = planSave(
      [
        [b("s:events"), b("[1]")],
        [b("s:datamodel"), b('{"a":1}')],
      ],
      [b("m"), b('["events","datamodel"]')],
      read,
      storedSections,
    );
    expect(keysOf(plan.puts)).toEqual(["m"]);
    expect(plan.removes.map((k) => k.toString())).toEqual(["s:transfers"]);
  });

  it("a stored value that is a prefix of the new bytes counts as changed", () => {
    const plan = planSave(
      [[b("s:events"), b("[1]0")]],
      [b("m"), b('["events","datamodel","transfers"]')],
      read,
      storedSections,
    );
    expect(keysOf(plan.puts)).toEqual(["s:events"]);
  });
});
