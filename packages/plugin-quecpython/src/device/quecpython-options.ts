/**
 * The options of the `quecpython` plugin as a device profile writes them
 * (`plugin: { name: quecpython, options: {...} }`), decoded with Effect Schema so a bad option
 * is refused with a message that names it.
 * @module
 */
import { Either, ParseResult, Schema } from "effect";
import { QuecPythonDeviceError } from "./quecpython-device-error.js";

const Millis = Schema.Number.pipe(Schema.int(), Schema.between(1, 3_600_000));

/** The plugin options of a profile. Exactly one of `port`, `tcp`, `simulate` is required. */
export const QuecPythonProfileOptions = Schema.Struct({
  /** Serial path of the module's REPL port, or `auto` to find it by USB ids. */
  port: Schema.optional(Schema.String.pipe(Schema.minLength(1))),
  /** `host:port` of a TCP endpoint that carries the module's bridge (a serial-to-TCP bridge). */
  tcp: Schema.optional(Schema.String.pipe(Schema.pattern(/^[^\s:]+:\d{1,5}$/))),
  /** Run a simulated module (the same bridge in MicroPython/WebAssembly). */
  simulate: Schema.optional(Schema.Boolean),
  /** `DeviceInfo.ManufacturerOUI` (no module API gives it). */
  manufacturerOui: Schema.optional(Schema.String.pipe(Schema.pattern(/^[0-9A-F]{6}$/))),
  /** What FactoryReset does on the module (default `module`). */
  factoryReset: Schema.optional(Schema.Literal("module", "reboot", "none")),
  /** Upload and start the bridge through the raw REPL when a serial port opens (default true). */
  deploy: Schema.optional(Schema.Boolean),
  /** Time-out of one bridge request (default 5000). */
  requestTimeoutMs: Schema.optional(Millis),
  /** How long to wait for the module after a restart (default 120 000). */
  restartTimeoutMs: Schema.optional(Millis),
  /** Longest firmware / file download on the module, in seconds (default 600). */
  downloadTimeoutSeconds: Schema.optional(
    Schema.Number.pipe(Schema.int(), Schema.between(1, 7200)),
  ),
});

/** Decoded plugin options. */
export type QuecPythonProfileOptions = typeof QuecPythonProfileOptions.Type;

/** Decodes and checks the plugin options of a profile (`undefined` is not enough: a link is needed). */
export const decodeQuecPythonOptions = (
  input: unknown,
): Either.Either<QuecPythonProfileOptions, QuecPythonDeviceError> => {
  const decoded = Schema.decodeUnknownEither(QuecPythonProfileOptions, {
    onExcessProperty: "error",
  })(input ?? {});
  if (Either.isLeft(decoded))
    return Either.left(
      new QuecPythonDeviceError({
        reason: "BadOptions",
        detail: ParseResult.ArrayFormatter.formatErrorSync(decoded.left)
          .map((i) => `plugin.options.${i.path.join(".") || "(root)"}: ${i.message}`)
          .join("; "),
      }),
    );
  const o = decoded.right;
  const links = [o.port !== undefined, o.tcp !== undefined, o.simulate === true].filter(Boolean);
  if (links.length !== 1)
    return Either.left(
      new QuecPythonDeviceError({
        reason: "BadOptions",
        detail:
          "plugin.options: give exactly one of port (a serial path or auto), tcp (host:port) or simulate: true",
      }),
    );
  return Either.right(o);
};
