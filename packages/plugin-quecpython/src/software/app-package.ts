/**
 * The package of a QuecPython application, as an ACS serves it for ChangeDUState: core's cpekit
 * deployment-unit package (`{"cpekitDeploymentUnit": 1, ...}`, see
 * `parseDeploymentUnitPackage` of `@cpekit/core`), or a single MicroPython file.
 *
 * - A cpekit package: its `files` are the app's files; it declares at most one execution unit
 *   (a QuecPython app is one program) and runs that EU's `<name>.py`, else `main.py`; an
 *   `executionEnvType` other than `MicroPython` does not fit (9025).
 * - A single file is the app when the URL's path ends in `.py` and the bytes are UTF-8: the app
 *   is named after the file, has no version, and the file is what it runs.
 * Anything else, or a cpekit package that breaks its rules, is 9018 (file corrupted).
 *
 * On the module an app lives in `/usr/apps/<key>`, its key being its name when that is an
 * identifier of at most 32 characters, else the name with every other character made `_`
 * (and `_` put in front of a leading digit).
 * @module
 */
import {
  isPackageParseFailure,
  parseDeploymentUnitPackage,
  type SoftwareModuleError,
  softwareModuleError,
} from "@cpekit/core";
import { Either } from "effect";

/** The execution environment type QuecPython apps are made for. */
export const QUECPYTHON_EXEC_ENV_TYPE = "MicroPython";

/** One file of an app. */
export interface AppFile {
  /** Path inside the app's directory, `/`-separated (e.g. `lib/fmt.py`). */
  readonly path: string;
  readonly bytes: Uint8Array;
}

/** A parsed app package. */
export interface AppPackage {
  /** The DU's name, as the package gives it. */
  readonly name: string;
  /** The app's directory under `/usr/apps`, its DUID and EUID (see {@link appKey}). */
  readonly key: string;
  readonly version: string;
  readonly vendor: string;
  readonly description: string;
  /** The execution unit's name. */
  readonly unitName: string;
  /** The file run at start (a path of {@link AppPackage.files}). */
  readonly main: string;
  readonly autoStart: boolean;
  readonly files: readonly AppFile[];
}

/** An app key: an identifier, so the app's modules can be imported. */
export const appKeyPattern = /^[A-Za-z_][A-Za-z0-9_]{0,31}$/;
const segmentPattern = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$/;
/** At most this many files in an app. */
export const MAX_APP_FILES = 64;

/** The directory key of an app named `name` (see the module comment). */
export const appKey = (name: string): string => {
  if (appKeyPattern.test(name)) return name;
  const safe = name.replace(/[^A-Za-z0-9_]/g, "_");
  return (/^[0-9]/.test(safe) ? `_${safe}` : safe).slice(0, 32) || "_";
};

/** A file path inside an app: 1-4 segments of safe characters, no `..`, no leading dot. */
export const isAppFilePath = (path: string): boolean => {
  const segments = path.split("/");
  return segments.length <= 4 && segments.every((s) => segmentPattern.test(s) && !s.includes(".."));
};

const corrupted = (detail: string) => Either.left(softwareModuleError("Corrupted", detail));
const mismatch = (detail: string) => Either.left(softwareModuleError("ExecEnvMismatch", detail));
const utf8 = new TextDecoder("utf-8", { fatal: true });

const textOf = (bytes: Uint8Array): string | undefined => {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
};

/** The last segment of a URL's path, decoded; empty when there is none. */
const urlFileName = (url: string): string => {
  try {
    return decodeURIComponent(new URL(url).pathname.split("/").pop() ?? "");
  } catch {
    return "";
  }
};

const fromCpekitPackage = (bytes: Uint8Array): Either.Either<AppPackage, SoftwareModuleError> => {
  const parsed = parseDeploymentUnitPackage(bytes);
  if (isPackageParseFailure(parsed)) return corrupted(parsed.detail);
  if (parsed.executionEnvType !== undefined && parsed.executionEnvType !== QUECPYTHON_EXEC_ENV_TYPE)
    return mismatch(
      `the package is made for "${parsed.executionEnvType}", the module runs ${QUECPYTHON_EXEC_ENV_TYPE}`,
    );
  const [unit, ...more] = parsed.executionUnits;
  if (unit === undefined || more.length > 0)
    return mismatch(
      `a QuecPython app runs one execution unit, the package declares ${parsed.executionUnits.length}`,
    );
  const entries = Object.entries(parsed.files);
  if (entries.length === 0 || entries.length > MAX_APP_FILES)
    return corrupted(`an app has 1 to ${MAX_APP_FILES} files, this one ${entries.length}`);
  for (const [path] of entries)
    if (!isAppFilePath(path)) return corrupted(`file path "${path}" is not allowed`);
  const own = `${unit.name}.py`;
  const main = own in parsed.files ? own : "main.py" in parsed.files ? "main.py" : undefined;
  if (main === undefined) return corrupted(`neither ${own} nor main.py is in the package's files`);
  const encoder = new TextEncoder();
  return Either.right({
    name: parsed.name,
    key: appKey(parsed.name),
    version: parsed.version,
    vendor: parsed.vendor,
    description: parsed.description,
    unitName: unit.name,
    main,
    autoStart: unit.autoStart,
    files: entries.map(([path, text]) => ({ path, bytes: encoder.encode(text) })),
  });
};

/**
 * Reads a package fetched from `url` (see the module comment): 9025 (ExecEnvMismatch) for a
 * package made for another environment, 9018 (Corrupted) for bytes that are no app.
 */
export const parseAppPackage = (
  bytes: Uint8Array,
  url: string,
): Either.Either<AppPackage, SoftwareModuleError> => {
  const text = textOf(bytes);
  if (text?.trimStart().startsWith("{")) return fromCpekitPackage(bytes);
  const file = urlFileName(url);
  if (text !== undefined && file.endsWith(".py") && file.length > 3) {
    const name = file.slice(0, -3);
    return Either.right({
      name,
      key: appKey(name),
      version: "",
      vendor: "",
      description: "",
      unitName: name,
      main: file,
      autoStart: false,
      files: [{ path: file, bytes }],
    });
  }
  return corrupted("neither a cpekit deployment-unit package nor a MicroPython .py file");
};
