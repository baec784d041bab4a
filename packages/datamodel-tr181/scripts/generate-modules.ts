/**
 * The whole generation, without writing: reads the BBF XML files and returns the text of each
 * generated module. Used by `generate.ts`, by the determinism test and by the benchmark.
 * @module
 */
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type BuildReport, buildTable } from "./build-table.js";
import { emitModule } from "./emit-module.js";
import { GenerateError } from "./generate-error.js";
import { type DataModelDocument, readDataModel } from "./read-data-model.js";
import { makeSyntaxResolver } from "./resolve-syntax.js";

/** The named data types file every model may fall back to. */
export const TYPES_FILE = "tr-106-types.xml";

/** One module to generate: its source XML, output file and exported function name. */
export interface ModuleSpec {
  readonly sourceFile: string;
  readonly outputFile: string;
  readonly exportName: string;
}

/** The modules this package generates. */
export const moduleSpecs: readonly ModuleSpec[] = [
  {
    sourceFile: "tr-181-2-17-0-cwmp-full.xml",
    outputFile: "device-2.ts",
    exportName: "device2Table",
  },
  { sourceFile: "tr-098-1-8-0-full.xml", outputFile: "igd-1.ts", exportName: "igd1Table" },
];

/** A generated module's text and what went into it. */
export interface GeneratedModule {
  readonly spec: ModuleSpec;
  readonly text: string;
  readonly report: BuildReport;
  /** Data types that had to come from tr-106-types.xml. */
  readonly fallbackTypes: readonly string[];
}

/** The package directory (this file sits in `<package>/scripts`). */
export const packageDirectory = (): string =>
  resolve(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * Where the BBF XML files are: `$CPEKIT_BBF_DIR`, else the copies kept in `<package>/bbf`
 * (so a fresh clone generates and tests with nothing beside it).
 */
export const bbfDirectory = (env: NodeJS.ProcessEnv = process.env): string =>
  env.CPEKIT_BBF_DIR ?? join(packageDirectory(), "bbf");

const readText = (path: string): string => {
  try {
    return readFileSync(path, "utf8");
  } catch (cause) {
    throw new GenerateError({ reason: "MissingFile", detail: path, cause });
  }
};

const readTypes = (bbfDir: string): DataModelDocument =>
  readDataModel(readText(join(bbfDir, TYPES_FILE)), { typesOnly: true });

/** Generates one module from the files in `bbfDir`. */
export const generateModule = (
  bbfDir: string,
  spec: ModuleSpec,
  types: DataModelDocument = readTypes(bbfDir),
): GeneratedModule => {
  const doc = readDataModel(readText(join(bbfDir, spec.sourceFile)), { typesOnly: false });
  const resolver = makeSyntaxResolver(doc.dataTypes, types.dataTypes);
  const { table, report } = buildTable(doc, resolver);
  const fallbackTypes = resolver.fallbackNamesUsed();
  // Facets taken from tr-106-types.xml are derived from it too, so its notice comes along.
  const notices = fallbackTypes.length > 0 ? [doc.header, types.header] : [doc.header];
  const text = emitModule({
    sourceFile: spec.sourceFile,
    notices,
    exportName: spec.exportName,
    table,
  });
  return { spec, text, report, fallbackTypes };
};

/** Generates every module of {@link moduleSpecs}. */
export const generateModules = (bbfDir: string): readonly GeneratedModule[] => {
  const types = readTypes(bbfDir);
  return moduleSpecs.map((spec) => generateModule(bbfDir, spec, types));
};
