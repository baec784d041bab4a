/**
 * The `auth-param` grammar shared by `WWW-Authenticate` and `Authorization` headers
 * (RFC 9110 §11): a scheme followed by comma-separated `name=value` pairs whose value is a
 * token or a quoted string. One `WWW-Authenticate` header may carry several challenges.
 *
 * Hand-written: the maintained header libraries we checked (http-auth-utils, auth-header) parse
 * one challenge per header, and we need several (RFC 7616 asks the server to offer SHA-256 and
 * MD5 side by side).
 * @module
 */

/** One challenge or credentials: scheme (lower case) and parameters (names in lower case). */
export interface AuthChallenge {
  readonly scheme: string;
  readonly params: Readonly<Record<string, string>>;
  /** A `token68` value (Basic credentials), when the scheme carried one instead of params. */
  readonly token68?: string;
}

/** RFC 9110 `tchar`, by character code: a table, since every connection request is parsed. */
const TOKEN_CHARS = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
  TOKEN_CHARS[c.charCodeAt(0)] = 1;
const isTokenCode = (code: number): boolean => code < 128 && TOKEN_CHARS[code] === 1;
const SPACE = 0x20;
const TAB = 0x09;
const COMMA = 0x2c;
const DOUBLE_QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** A `token68` (Basic credentials) that reaches a comma or the end, matched where the cursor is. */
const token68At = /[A-Za-z0-9\-._~+/]+=*(?=\s*(,|$))/y;

/** A small cursor over a header value; returns undefined where the grammar is broken. */
class Cursor {
  index = 0;
  constructor(readonly text: string) {}
  skipSpaces(): void {
    for (let c = this.text.charCodeAt(this.index); c === SPACE || c === TAB; )
      c = this.text.charCodeAt(++this.index);
  }
  skipSeparators(): void {
    for (let c = this.text.charCodeAt(this.index); c === SPACE || c === TAB || c === COMMA; )
      c = this.text.charCodeAt(++this.index);
  }
  atEnd(): boolean {
    return this.index >= this.text.length;
  }
  peek(): string | undefined {
    return this.text[this.index];
  }
  token(): string {
    const start = this.index;
    while (isTokenCode(this.text.charCodeAt(this.index))) this.index++;
    return this.text.slice(start, this.index);
  }
  quoted(): string | undefined {
    // Called on the opening quote; a backslash escapes the next character (quoted-pair). The
    // value is cut out in runs between escapes, not built a character at a time: every
    // connection request's Authorization header goes through here (issue 11).
    let from = ++this.index;
    let out = "";
    while (this.index < this.text.length) {
      const c = this.text.charCodeAt(this.index);
      if (c === DOUBLE_QUOTE) {
        out += this.text.slice(from, this.index++);
        return out;
      }
      if (c === BACKSLASH && this.index + 1 < this.text.length) {
        out += this.text.slice(from, this.index);
        from = this.index + 1;
        this.index += 2;
      } else this.index++;
    }
    return undefined;
  }
}

/**
 * Parses every challenge of one or more `WWW-Authenticate` header values (or the credentials of
 * an `Authorization` value). Malformed parts end the parse; what was read before is kept.
 */
export const parseAuthHeader = (
  values: string | readonly string[] | undefined,
): AuthChallenge[] => {
  const list = values === undefined ? [] : typeof values === "string" ? [values] : values;
  const out: AuthChallenge[] = [];
  for (const value of list) out.push(...parseOne(value));
  return out;
};

const parseOne = (value: string): AuthChallenge[] => {
  const out: AuthChallenge[] = [];
  const c = new Cursor(value);
  c.skipSeparators();
  while (!c.atEnd()) {
    const scheme = c.token();
    if (scheme === "") break;
    const params: Record<string, string> = {};
    let token68: string | undefined;
    c.skipSpaces();
    // token68 (e.g. Basic credentials): a parameter would have a value after its "=", so a
    // run of token68 characters and "=" padding that reaches a comma or the end is a token68.
    token68At.lastIndex = c.index;
    const t68 = token68At.exec(c.text);
    if (t68) {
      token68 = t68[0];
      c.index += t68[0].length;
    } else {
      while (!c.atEnd()) {
        c.skipSeparators();
        const save = c.index;
        const name = c.token();
        c.skipSpaces();
        if (name === "" || c.peek() !== "=") {
          // Not a parameter: the start of the next challenge.
          c.index = save;
          break;
        }
        c.index++;
        c.skipSpaces();
        const v = c.peek() === '"' ? c.quoted() : c.token();
        if (v === undefined) return [...out, { scheme: scheme.toLowerCase(), params }];
        params[name.toLowerCase()] = v;
        c.skipSpaces();
      }
    }
    out.push({ scheme: scheme.toLowerCase(), params, ...(token68 ? { token68 } : {}) });
    c.skipSeparators();
  }
  return out;
};

/** Quotes a value as an HTTP quoted-string. */
export const quote = (value: string): string => `"${value.replace(/(["\\])/g, "\\$1")}"`;

/**
 * Formats `name=value` pairs; names listed in `unquoted` are written as tokens (RFC 7616 wants
 * `nc`, `qop` and `algorithm` unquoted in credentials).
 */
export const formatAuthParams = (
  params: ReadonlyArray<readonly [string, string]>,
  unquoted: ReadonlySet<string> = new Set(),
): string => params.map(([k, v]) => `${k}=${unquoted.has(k) ? v : quote(v)}`).join(", ");
