/**
 * Test support: validating documents against the official BBF CWMP XSDs with xmllint compiled to
 * WebAssembly (`xmllint-wasm`, a dev dependency), so `pnpm install` brings the validator on any
 * OS. The XSDs are the copies in `testdata/xsd/` (with their BSD-3 headers), next to the local
 * stand-ins for the SOAP envelope/encoding schemas. The SOAP namespaces are imported first by a
 * generated wrapper schema, so the XSDs' own imports by URL are skipped; the `xs:include`s of
 * `cwmp-1-3`/`cwmp-1-4` by URL are pointed at the local copies in the in-memory file system (the
 * files on disk stay unchanged). All documents are validated in one xmllint run.
 * @module
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { validateXML, type XMLFileInfo } from "xmllint-wasm";

/** Where the BBF XSDs and the SOAP stand-ins live. */
export const XSD_DIR = fileURLToPath(new URL("../testdata/xsd/", import.meta.url));

const SCHEMA_FILES = [
  "soap-envelope.xsd",
  "soap-encoding.xsd",
  "cwmp-1-0.xsd",
  "cwmp-1-2.xsd",
  "cwmp-1-3.xsd",
  "cwmp-1-4.xsd",
] as const;

// The include URLs name the BBF's site; the in-memory copies sit beside the including file.
const localIncludes = (xsd: string): string =>
  xsd.replace(
    /schemaLocation="http:\/\/www\.broadband-forum\.org\/cwmp\/(cwmp-[0-9-]+\.xsd)"/g,
    'schemaLocation="$1"',
  );

const schemaFiles = (): XMLFileInfo[] =>
  SCHEMA_FILES.map((fileName) => ({
    fileName,
    contents: localIncludes(readFileSync(`${XSD_DIR}${fileName}`, "utf8")),
  }));

/** The result for one document: `ok`, or the validator's messages. */
export interface ValidationResult {
  readonly ok: boolean;
  readonly messages: string;
}

/**
 * Validates each document (name -> XML text) against `cwmp-<schema>.xsd`. Resolves to one result
 * per name. Rejects when the schema itself fails to compile.
 */
export const validateAll = async (
  docs: Readonly<Record<string, string>>,
  schema: "1-0" | "1-2" | "1-4",
): Promise<Record<string, ValidationResult>> => {
  const cwmpNs = schema === "1-4" ? "urn:dslforum-org:cwmp-1-2" : `urn:dslforum-org:cwmp-${schema}`;
  const wrapper = `<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:import namespace="http://schemas.xmlsoap.org/soap/envelope/" schemaLocation="soap-envelope.xsd"/>
  <xs:import namespace="http://schemas.xmlsoap.org/soap/encoding/" schemaLocation="soap-encoding.xsd"/>
  <xs:import namespace="${cwmpNs}" schemaLocation="cwmp-${schema}.xsd"/>
</xs:schema>
`;
  const names = Object.keys(docs);
  const files = names.map((n, i) => ({ fileName: `doc${i}.xml`, contents: docs[n] as string }));
  const r = await validateXML({
    xml: files,
    schema: { fileName: "wrapper.xsd", contents: wrapper },
    preload: schemaFiles(),
    // The full CWMP 1.2 schema and a few dozen documents need more than the default 32 MiB.
    maxMemoryPages: 2048,
  });
  const out = r.rawOutput;
  if (out.includes("failed to compile")) throw new Error(`the schema did not compile:\n${out}`);
  const lines = out.split("\n").filter((l) => !l.includes("Skipping import"));
  const result: Record<string, ValidationResult> = {};
  names.forEach((n, i) => {
    const f = files[i]?.fileName as string;
    const mine = lines.filter((l) => l.startsWith(`${f}:`) || l.startsWith(`${f} `));
    result[n] = { ok: mine.some((l) => l === `${f} validates`), messages: mine.join("\n") };
  });
  return result;
};
