/**
 * The cpekit deployment-unit package: a small JSON document every `SoftwareModules` plugin
 * reads, so one package (the conformance suite's, the demo's) installs on any device.
 *
 * ```json
 * { "cpekitDeploymentUnit": 1, "name": "hello", "version": "1.2.0", "vendor": "Example",
 *   "description": "greets", "executionEnvType": "MicroPython",
 *   "executionUnits": [{ "name": "hello", "autoStart": false }],
 *   "files": { "main.py": "print('hello')" } }
 * ```
 *
 * `executionEnvType`, when present, must equal the EE's `Type` (else fault 9025);
 * `executionUnits` defaults to one EU named after the DU; `files` are text files the DU
 * installs (a plugin that runs code, such as QuecPython's, runs the first EU's `<name>.py`
 * or `main.py`). Plugins may accept other formats too; bytes that are neither this nor theirs
 * fail with 9018 (file corrupted).
 * @module
 */

/** One EU a package declares. */
export interface PackageExecutionUnit {
  readonly name: string;
  readonly autoStart: boolean;
}

/** A parsed package. */
export interface DeploymentUnitPackage {
  readonly name: string;
  readonly version: string;
  readonly vendor: string;
  readonly description: string;
  readonly executionEnvType?: string;
  readonly executionUnits: readonly PackageExecutionUnit[];
  readonly files: Readonly<Record<string, string>>;
}

/** Why bytes are not a package (a plugin reports it as 9018). */
export interface PackageParseFailure {
  readonly _tag: "PackageParseFailure";
  readonly detail: string;
}

const isRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === "object" && u !== null && !Array.isArray(u);

const text = (o: Record<string, unknown>, key: string, fallback: string): string | undefined => {
  const v = o[key];
  if (v === undefined) return fallback;
  return typeof v === "string" ? v : undefined;
};

const failure = (detail: string): PackageParseFailure => ({ _tag: "PackageParseFailure", detail });

const parseUnits = (
  raw: unknown,
  duName: string,
): readonly PackageExecutionUnit[] | PackageParseFailure => {
  if (raw === undefined) return [{ name: duName, autoStart: false }];
  if (!Array.isArray(raw) || raw.length === 0) {
    return failure("executionUnits must be a non-empty array");
  }
  const units: PackageExecutionUnit[] = [];
  for (const u of raw) {
    if (!isRecord(u) || typeof u.name !== "string" || u.name === "") {
      return failure("each execution unit needs a non-empty name");
    }
    if (u.autoStart !== undefined && typeof u.autoStart !== "boolean") {
      return failure(`execution unit ${u.name}: autoStart must be a boolean`);
    }
    units.push({ name: u.name, autoStart: u.autoStart === true });
  }
  return units;
};

const parseFiles = (
  raw: unknown,
): { readonly files: Readonly<Record<string, string>> } | PackageParseFailure => {
  if (raw === undefined) return { files: {} };
  if (!isRecord(raw)) return failure("files must be an object of text files");
  for (const [name, body] of Object.entries(raw)) {
    if (typeof body !== "string") return failure(`file ${name}: content must be text`);
    if (name === "" || name.includes("..") || name.startsWith("/")) {
      return failure(`file name ${JSON.stringify(name)} is not a relative path inside the DU`);
    }
  }
  return { files: raw as Record<string, string> };
};

/** Parses package bytes; a failure says what is wrong. */
export const parseDeploymentUnitPackage = (
  bytes: Uint8Array,
): DeploymentUnitPackage | PackageParseFailure => {
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    return failure("not a JSON document");
  }
  if (!isRecord(doc) || doc.cpekitDeploymentUnit !== 1) {
    return failure("not a cpekit deployment-unit package (cpekitDeploymentUnit: 1)");
  }
  const name = text(doc, "name", "");
  const version = text(doc, "version", "");
  const vendor = text(doc, "vendor", "");
  const description = text(doc, "description", "");
  const eeType = doc.executionEnvType;
  if (name === undefined || name === "") return failure("name must be a non-empty string");
  if (version === undefined) return failure("version must be a string");
  if (vendor === undefined || description === undefined) {
    return failure("vendor and description must be strings");
  }
  if (eeType !== undefined && typeof eeType !== "string") {
    return failure("executionEnvType must be a string");
  }
  const executionUnits = parseUnits(doc.executionUnits, name);
  if ("_tag" in executionUnits) return executionUnits;
  const files = parseFiles(doc.files);
  if ("_tag" in files) return files;
  return {
    name,
    version,
    vendor,
    description,
    ...(eeType === undefined ? {} : { executionEnvType: eeType }),
    executionUnits,
    files: files.files,
  };
};

/** Type guard for {@link PackageParseFailure}. */
export const isPackageParseFailure = (
  u: DeploymentUnitPackage | PackageParseFailure,
): u is PackageParseFailure => "_tag" in u;

/** Encodes a package (for tests, the demo and the conformance suite's file shelf). */
export const encodeDeploymentUnitPackage = (p: {
  readonly name: string;
  readonly version: string;
  readonly vendor?: string;
  readonly description?: string;
  readonly executionEnvType?: string;
  readonly executionUnits?: readonly PackageExecutionUnit[];
  readonly files?: Readonly<Record<string, string>>;
}): Uint8Array => new TextEncoder().encode(JSON.stringify({ cpekitDeploymentUnit: 1, ...p }));

/**
 * Orders two DU versions: dot-separated parts compared numerically when both are digits, as
 * text otherwise; a missing part counts as lower (`1.2` < `1.2.0`). Negative, zero or positive.
 * A plugin uses it to detect a downgrade (9030).
 */
export const compareDeploymentUnitVersions = (a: string, b: string): number => {
  const pa = a.split(".");
  const pb = b.split(".");
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x) ? Number(x) : Number.NaN;
    const ny = /^\d+$/.test(y) ? Number(y) : Number.NaN;
    const c =
      Number.isNaN(nx) || Number.isNaN(ny) ? (x < y ? -1 : x > y ? 1 : 0) : Math.sign(nx - ny);
    if (c !== 0) return c;
  }
  return 0;
};
