/**
 * Serial numbers from a template: `CPE{index:06}` gives `CPE000000`, `CPE000001`, ... A device's
 * serial depends on its index only, so it is the same after a restart and on any shard.
 * @module
 */
import { Data, Either } from "effect";

/** A template that cannot make serial numbers. */
export class SerialTemplateError extends Data.TaggedError("SerialTemplateError")<{
  readonly template: string;
  readonly detail: string;
}> {
  override get message(): string {
    return `serial template "${this.template}": ${this.detail}`;
  }
}

/** A compiled template: index to serial number. */
export type SerialTemplate = (index: number) => string;

const placeholder = /\{index(?::(0?)(\d+))?\}/g;
// DeviceId.SerialNumber is a string(64) (TR-069 Table 37); the template must leave room.
const MAX_SERIAL = 64;

/**
 * Compiles `template`: one or more `{index}` placeholders, `{index:06}` zero-padded to 6 digits
 * (`{index:6}` pads with spaces, which serials should not have, so it is refused). Text outside
 * the placeholders is kept as is. Fails without a placeholder (every device would share one
 * serial) or when the serial of `maxIndex` would be longer than 64 characters.
 */
export const compileSerialTemplate = (
  template: string,
  maxIndex = 0,
): Either.Either<SerialTemplate, SerialTemplateError> => {
  const fail = (detail: string) => Either.left(new SerialTemplateError({ template, detail }));
  const matches = [...template.matchAll(placeholder)];
  if (matches.length === 0)
    return fail(
      "expected an {index} placeholder (e.g. CPE{index:06}), or every device would share one serial",
    );
  for (const m of matches)
    if (m[2] !== undefined && m[1] !== "0")
      return fail(`"${m[0]}": write {index:0${m[2]}} to pad with zeros`);
  const rest = template.replace(placeholder, "");
  if (/[{}]/.test(rest)) return fail("unknown placeholder (only {index} and {index:0N} exist)");
  const make: SerialTemplate = (index) =>
    template.replace(placeholder, (_m, _zero: string | undefined, width: string | undefined) =>
      String(index).padStart(width === undefined ? 0 : Number(width), "0"),
    );
  const longest = make(Math.max(0, maxIndex));
  if (longest.length > MAX_SERIAL)
    return fail(`"${longest}" is longer than ${MAX_SERIAL} characters`);
  return Either.right(make);
};
