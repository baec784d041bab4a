import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildTable } from "../scripts/build-table.js";
import { type GenerateError, isGenerateError } from "../scripts/generate-error.js";
import {
  bbfDirectory,
  generateModules,
  moduleSpecs,
  TYPES_FILE,
} from "../scripts/generate-modules.js";
import { readDataModel } from "../scripts/read-data-model.js";
import { makeSyntaxResolver } from "../scripts/resolve-syntax.js";
import { decodeTable } from "./decode-table.js";

const doc = (body: string, head = "") => `<?xml version="1.0"?>
<!--
  Test model

  Licence text
-->
${head}<dm:document xmlns:dm="urn:broadband-forum-org:cwmp:datamodel-1-14">
${body}
</dm:document>`;

const sample = doc(`
  <dataType name="Addr"><description>prose</description><string><size maxLength="45"/></string></dataType>
  <dataType name="Addr4" base="Addr"><size maxLength="15"/><pattern value="[0-9.]+"/></dataType>
  <model name="Thing:1.2">
    <object name="Thing." access="readOnly" minEntries="1" maxEntries="1">
      <parameter name="Count" access="readOnly"><syntax><unsignedInt/></syntax></parameter>
      <parameter name="Old" access="readOnly" status="deleted"><syntax><int/></syntax></parameter>
      <parameter name="Key" access="readOnly" activeNotify="canDeny" forcedInform="true">
        <syntax secured="true"><string><size maxLength="32"/></string><default type="object" value=""/></syntax>
      </parameter>
    </object>
    <object name="Thing.Row.{i}." access="readWrite" minEntries="0" maxEntries="unbounded" numEntriesParameter="Count">
      <uniqueKey><parameter ref="Ip"/></uniqueKey>
      <uniqueKey><parameter ref="Gone"/></uniqueKey>
      <parameter name="Ip" access="readWrite" status="deprecated"><syntax><dataType ref="Addr4"/></syntax></parameter>
      <parameter name="Gone" access="readWrite" status="obsoleted"><syntax><boolean/></syntax></parameter>
      <parameter name="Level" access="readWrite"><syntax><list maxItems="4"><size maxLength="64"/></list><int><range minInclusive="-5" maxInclusive="5" step="5"/></int></syntax></parameter>
    </object>
    <object name="Thing.Dead." access="readOnly" minEntries="1" maxEntries="1" status="obsoleted">
      <parameter name="X" access="readOnly"><syntax><string/></syntax></parameter>
    </object>
    <object name="Thing.Dead.Child." access="readOnly" minEntries="1" maxEntries="1">
      <parameter name="Y" access="readOnly"><syntax><string/></syntax></parameter>
    </object>
  </model>`);

const catchGenerateError = (f: () => unknown): GenerateError | undefined => {
  try {
    f();
  } catch (e) {
    if (isGenerateError(e)) return e;
    throw e;
  }
  return undefined;
};

describe("generator on a small model", () => {
  const parsed = readDataModel(sample, { typesOnly: false });
  const { table, report } = buildTable(parsed, makeSyntaxResolver(parsed.dataTypes, []));
  const schema = decodeTable(table);

  it("reads the header comment dedented and the model name", () => {
    expect(parsed.header).toBe("Test model\n\nLicence text");
    expect([table.root, table.version]).toEqual(["Thing", "1.2"]);
  });

  it("drops deleted and obsoleted items, objects under a dropped one, keeps deprecated", () => {
    expect([...schema.objects.keys()]).toEqual(["Thing.", "Thing.Row.{i}."]);
    expect([...schema.parameters.keys()]).toEqual([
      "Thing.Count",
      "Thing.Key",
      "Thing.Row.{i}.Ip",
      "Thing.Row.{i}.Level",
    ]);
    expect(report).toMatchObject({ droppedObjects: 2, droppedParameters: 4 });
  });

  it("resolves a derived named type, keeping its name and the narrowest facets", () => {
    expect(schema.parameters.get("Thing.Row.{i}.Ip")).toEqual({
      path: "Thing.Row.{i}.Ip",
      type: "string",
      dataType: "Addr4",
      sizes: [{ maxLength: 15 }],
      patterns: ["[0-9.]+"],
      access: "readWrite",
    });
  });

  it("§1.11 keeps forcedInform, activeNotify, secured as hidden and an empty default", () => {
    expect(schema.parameters.get("Thing.Key")).toEqual({
      path: "Thing.Key",
      type: "string",
      sizes: [{ maxLength: 32 }],
      access: "readOnly",
      default: "",
      forcedInform: true,
      activeNotify: "canDeny",
      hidden: true,
    });
  });

  it("keeps list facets, ranges with step, table bounds, counts and complete unique keys", () => {
    expect(schema.parameters.get("Thing.Row.{i}.Level")).toMatchObject({
      type: "int",
      ranges: [{ min: "-5", max: "5", step: "5" }],
      list: { maxItems: 4, maxLength: 64 },
    });
    expect(schema.objects.get("Thing.Row.{i}.")).toEqual({
      path: "Thing.Row.{i}.",
      access: "readWrite",
      multiInstance: true,
      minEntries: 0,
      numEntriesParameter: "Thing.Count",
      uniqueKeys: [["Ip"]],
    });
    expect(schema.parameters.get("Thing.Count")?.countsEntriesOf).toBe("Thing.Row.{i}.");
    expect(report.warnings).toEqual(["Thing.Row.{i}.: unique key Gone names a dropped parameter"]);
  });

  it("expands DOCTYPE entities, as tr-106-types.xml uses them in patterns", () => {
    const types = readDataModel(
      doc(
        '<dataType name="Oct"><string><pattern value="&octet;&dot;&octet;"/></string></dataType>',
        '<!DOCTYPE x [ <!ENTITY octet "[0-9]+"> <!ENTITY dot "\\."> ]>\n',
      ),
      { typesOnly: true },
    );
    expect(types.dataTypes[0]?.spec.facets.patterns).toEqual(["[0-9]+\\.[0-9]+"]);
  });

  it("takes a type the model lacks from the fallback types file and reports it", () => {
    const resolver = makeSyntaxResolver([], parsed.dataTypes);
    expect(resolver.resolve({ dataTypeRef: "Addr4", facets: {} }, "p").sizes).toEqual([
      { maxLength: 15 },
    ]);
    expect(resolver.fallbackNamesUsed()).toEqual(["Addr", "Addr4"]);
  });

  it("fails with typed errors on unknown and cyclic types and on unflattened files", () => {
    const cyclic = readDataModel(
      doc('<dataType name="A" base="B"/><dataType name="B" base="A"/>'),
      { typesOnly: true },
    );
    const resolver = makeSyntaxResolver(cyclic.dataTypes, []);
    expect(
      catchGenerateError(() => resolver.resolve({ dataTypeRef: "A", facets: {} }, "p"))?.reason,
    ).toBe("DataTypeCycle");
    expect(
      catchGenerateError(() => resolver.resolve({ dataTypeRef: "Z", facets: {} }, "p"))?.reason,
    ).toBe("UnknownDataType");
    const withImport = doc('<import file="x.xml"/><model name="Thing:1.0"/>');
    expect(catchGenerateError(() => readDataModel(withImport, { typesOnly: false }))?.reason).toBe(
      "NotFlattened",
    );
    const noModel = readDataModel(doc(""), { typesOnly: false });
    expect(catchGenerateError(() => buildTable(noModel, resolver))?.reason).toBe("NoModel");
  });
});

describe("generated modules", () => {
  it("read the BBF files from $CPEKIT_BBF_DIR, else from the copies in <package>/bbf", () => {
    expect(bbfDirectory({ CPEKIT_BBF_DIR: "/data/bbf" })).toBe("/data/bbf");
    expect(bbfDirectory({})).toBe(fileURLToPath(new URL("../bbf", import.meta.url)));
  });

  it("the copied BBF files are all there and keep their BSD-3-Clause licence header", () => {
    for (const file of [...moduleSpecs.map((m) => m.sourceFile), TYPES_FILE]) {
      const head = readFileSync(join(bbfDirectory({}), file), "utf8").slice(0, 4000);
      expect(head, file).toContain("Copyright (c)");
      expect(head, file).toContain("Broadband Forum");
      expect(head, file).toContain("Redistributions of source code must retain");
    }
  });

  // The committed files come from another process and run, so equality here also shows the
  // output is deterministic.
  it("are reproducible: a fresh generation equals the committed files byte for byte", () => {
    for (const m of generateModules(bbfDirectory())) {
      const committed = readFileSync(
        new URL(`./generated/${m.spec.outputFile}`, import.meta.url),
        "utf8",
      );
      expect(m.text === committed, m.spec.outputFile).toBe(true);
      expect(m.fallbackTypes).toEqual([]);
    }
  });
});
