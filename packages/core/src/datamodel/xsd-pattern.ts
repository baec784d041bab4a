/**
 * XSD regular expressions (the `pattern` facet) as JavaScript `RegExp`s.
 *
 * XSD patterns always match the whole value and have no anchors (`^` and `$` are plain
 * characters outside a character class); they add the name escapes `\i` and `\c`. Character
 * class subtraction (`[a-z-[aeiou]]`) and `\p{IsBlock}` block escapes are not translated: such a
 * pattern fails to compile and is reported by {@link compileXsdPattern}.
 * @module
 */
import { Either } from "effect";

// XML name characters, restricted to ASCII: enough for data-model patterns, which only use
// \i and \c for names.
const nameStart = "_:A-Za-z";
const nameChar = "\\-._:A-Za-z0-9";

const translate = (pattern: string): string => {
  let out = "";
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === "\\" && i + 1 < pattern.length) {
      const next = pattern[i + 1] as string;
      i++;
      const multi: Record<string, string> = {
        i: nameStart,
        c: nameChar,
      };
      const negated: Record<string, string> = { I: nameStart, C: nameChar };
      if (multi[next] !== undefined) out += inClass ? multi[next] : `[${multi[next]}]`;
      else if (negated[next] !== undefined && !inClass) out += `[^${negated[next]}]`;
      else if (next === "-" && !inClass) out += "-";
      else out += `\\${next}`;
      continue;
    }
    if (inClass) {
      if (ch === "]") inClass = false;
      out += ch;
      continue;
    }
    if (ch === "[") {
      inClass = true;
      out += ch;
      // A leading ^ negates, a leading ] is literal: copy both as they are.
      if (pattern[i + 1] === "^") out += pattern[++i];
      continue;
    }
    out += ch === "^" || ch === "$" ? `\\${ch}` : ch;
  }
  return out;
};

/** Compiles an XSD pattern into a whole-value `RegExp`, or explains why it cannot. */
export const compileXsdPattern = (pattern: string): Either.Either<RegExp, string> => {
  const source = `^(?:${translate(pattern)})$`;
  try {
    return Either.right(new RegExp(source, "u"));
  } catch (e) {
    return Either.left(`pattern ${JSON.stringify(pattern)}: ${(e as Error).message}`);
  }
};
