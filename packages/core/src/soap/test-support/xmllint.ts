/**
 * Test support: validating documents with `xmllint` against the official BBF CWMP XSDs, with the
 * local stand-ins for the SOAP envelope/encoding schemas (`testdata/xsd/`). The SOAP namespaces
 * are imported first by a generated wrapper schema, so the XSDs' own imports by URL are skipped;
 * the `xs:include`s of `cwmp-1-3`/`cwmp-1-4` by URL are resolved through a generated XML catalog.
 * All documents are validated in one `xmllint` run.
 * @module
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Where the BBF XSDs live. */
export const BBF_DIR = "/work/shared/bbf";
const STANDINS = fileURLToPath(new URL("../testdata/xsd/", import.meta.url));

/** The path of `xmllint`, or a failure message naming the package CI installs. */
export const findXmllint = (): string | Error => {
  try {
    return (
      execFileSync("sh", ["-c", "command -v xmllint"], { encoding: "utf8" }).trim() ||
      new Error("empty")
    );
  } catch {
    return new Error(
      "xmllint is not installed: the schema-validation tests need it (CI installs Debian package libxml2-utils; run `apt-get install -y libxml2-utils`)",
    );
  }
};

/** The result for one document: `ok`, or the validator's messages. */
export interface ValidationResult {
  readonly ok: boolean;
  readonly messages: string;
}

/**
 * Validates each document (name -> XML text) against `cwmp-<schema>.xsd`. Returns one result per
 * name. Throws when xmllint is missing or the schema itself fails to compile.
 */
export const validateAll = (
  docs: Readonly<Record<string, string>>,
  schema: "1-0" | "1-1" | "1-2" | "1-4",
): Record<string, ValidationResult> => {
  const xmllint = findXmllint();
  if (xmllint instanceof Error) throw xmllint;
  const dir = mkdtempSync(join(tmpdir(), "cpekit-xsd-"));
  try {
    const cwmpNs =
      schema === "1-4" ? "urn:dslforum-org:cwmp-1-2" : `urn:dslforum-org:cwmp-${schema}`;
    writeFileSync(
      join(dir, "wrapper.xsd"),
      `<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:import namespace="http://schemas.xmlsoap.org/soap/envelope/" schemaLocation="file://${STANDINS}soap-envelope.xsd"/>
  <xs:import namespace="http://schemas.xmlsoap.org/soap/encoding/" schemaLocation="file://${STANDINS}soap-encoding.xsd"/>
  <xs:import namespace="${cwmpNs}" schemaLocation="file://${BBF_DIR}/cwmp-${schema}.xsd"/>
</xs:schema>
`,
    );
    const bbf = (n: string) =>
      `<uri name="http://www.broadband-forum.org/cwmp/cwmp-${n}.xsd" uri="file://${BBF_DIR}/cwmp-${n}.xsd"/>`;
    writeFileSync(
      join(dir, "catalog.xml"),
      `<?xml version="1.0"?>
<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">${bbf("1-2")}${bbf("1-3")}</catalog>
`,
    );
    const names = Object.keys(docs);
    const files = names.map((n, i) => {
      const f = join(dir, `doc${i}.xml`);
      writeFileSync(f, docs[n] as string);
      return f;
    });
    const r = spawnSync(
      xmllint,
      ["--noout", "--nonet", "--schema", join(dir, "wrapper.xsd"), ...files],
      {
        encoding: "utf8",
        env: { ...process.env, XML_CATALOG_FILES: join(dir, "catalog.xml") },
        timeout: 20_000,
      },
    );
    const out = `${r.stdout}${r.stderr}`;
    if (
      out.includes("failed to compile") ||
      (out.includes("WXS schema") && !out.includes("validates"))
    )
      throw new Error(`the schema did not compile:\n${out}`);
    const lines = out.split("\n").filter((l) => !l.includes("Skipping import"));
    const result: Record<string, ValidationResult> = {};
    names.forEach((n, i) => {
      const f = files[i] as string;
      const mine = lines.filter((l) => l.startsWith(`${f}:`) || l.startsWith(`${f} `));
      result[n] = { ok: mine.some((l) => l === `${f} validates`), messages: mine.join("\n") };
    });
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
