/**
 * Quectel's legacy `requestOptions` object, accepted as users wrote it for the original
 * QuecPython TR-069 client.
 *
 * The object is Node's `url.parse(acsUrl)` output plus Quectel's `server_ip`/`server_port`
 * (the connection-request listener) and `url`. cpekit treats `url` as authoritative and checks
 * every other key against it, so a config edited by hand in one place only is caught at start-up
 * instead of silently posting to the wrong ACS.
 * @module
 */
import { Data, Either, ParseResult, Schema } from "effect";

const PortLike = Schema.Union(Schema.Number, Schema.String);

/** The legacy object, as written in the original client's `main.py`. */
export const RequestOptions = Schema.Struct({
  url: Schema.String,
  protocol: Schema.optional(Schema.String),
  host: Schema.optional(Schema.String),
  port: Schema.optional(PortLike),
  hostname: Schema.optional(Schema.String),
  pathname: Schema.optional(Schema.String),
  path: Schema.optional(Schema.String),
  href: Schema.optional(Schema.String),
  server_ip: Schema.optional(Schema.String),
  server_port: Schema.optional(PortLike),
  username: Schema.optional(Schema.String),
  password: Schema.optional(Schema.String),
});

/** The decoded legacy object. */
export type RequestOptions = typeof RequestOptions.Type;

/** What cpekit takes from a `requestOptions` object. */
export interface ResolvedRequestOptions {
  readonly acs: {
    readonly url: string;
    readonly username?: string;
    readonly password?: string;
  };
  /** The connection-request listener: Quectel's `server_ip` / `server_port` (default 0.0.0.0:8001). */
  readonly connectionRequest: {
    readonly bindAddress: string;
    readonly port: number;
  };
}

/** A `requestOptions` object that is malformed or inconsistent with its own `url`. */
export class RequestOptionsError extends Data.TaggedError("RequestOptionsError")<{
  /** One line per problem, each naming the key and what was expected. */
  readonly problems: readonly string[];
}> {
  override get message(): string {
    return `invalid requestOptions:\n  ${this.problems.join("\n  ")}`;
  }
}

/** Quectel's listener default, kept so existing deployments behave the same. */
const DEFAULT_SERVER_PORT = 8001;
const defaultPorts: Record<string, string> = { "http:": "80", "https:": "443" };

const parsePort = (value: string | number): number | undefined => {
  const n = typeof value === "number" ? value : /^\d+$/.test(value) ? Number(value) : Number.NaN;
  return Number.isInteger(n) && n >= 0 && n <= 65535 ? n : undefined;
};

/**
 * Decodes and checks a legacy `requestOptions` object. `url` is authoritative: each other URL key
 * that is present must agree with it (`protocol` keeps Node's trailing colon, `port` may be a
 * string, `host` is `hostname:port`, `path` is `pathname` plus the query).
 */
export const resolveRequestOptions = (
  input: unknown,
): Either.Either<ResolvedRequestOptions, RequestOptionsError> => {
  const decoded = Schema.decodeUnknownEither(RequestOptions, { onExcessProperty: "ignore" })(input);
  if (Either.isLeft(decoded)) {
    const problems = ParseResult.ArrayFormatter.formatErrorSync(decoded.left).map(
      (issue) => `requestOptions.${issue.path.join(".") || "(root)"}: ${issue.message}`,
    );
    return Either.left(new RequestOptionsError({ problems }));
  }
  const options = decoded.right;
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    return Either.left(
      new RequestOptionsError({
        problems: [`requestOptions.url: expected an absolute http(s) URL, got "${options.url}"`],
      }),
    );
  }
  const problems: string[] = [];
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    problems.push(`requestOptions.url: expected an http: or https: URL, got "${url.protocol}"`);
  }
  const port = url.port || defaultPorts[url.protocol] || "";
  const expect = (key: string, actual: string | number | undefined, wanted: readonly string[]) => {
    if (actual === undefined) return;
    if (!wanted.includes(String(actual))) {
      problems.push(
        `requestOptions.${key}: "${actual}" does not match url ${url.href} (expected "${wanted[0]}")`,
      );
    }
  };
  expect("protocol", options.protocol, [url.protocol]);
  expect("hostname", options.hostname, [url.hostname]);
  expect("port", options.port, [port]);
  expect("host", options.host, url.port ? [url.host] : [url.host, `${url.hostname}:${port}`]);
  expect("pathname", options.pathname, [url.pathname]);
  expect("path", options.path, [url.pathname + url.search]);
  if (options.href !== undefined) {
    let href: string | undefined;
    try {
      href = new URL(options.href).href;
    } catch {
      href = undefined;
    }
    if (href !== url.href) {
      problems.push(`requestOptions.href: "${options.href}" does not match url ${url.href}`);
    }
  }
  let serverPort = DEFAULT_SERVER_PORT;
  if (options.server_port !== undefined) {
    const parsed = parsePort(options.server_port);
    if (parsed === undefined) {
      problems.push(
        `requestOptions.server_port: expected a port number 0-65535, got "${options.server_port}"`,
      );
    } else serverPort = parsed;
  }
  if (problems.length > 0) return Either.left(new RequestOptionsError({ problems }));
  return Either.right({
    acs: {
      url: url.href,
      ...(options.username !== undefined ? { username: options.username } : {}),
      ...(options.password !== undefined ? { password: options.password } : {}),
    },
    connectionRequest: { bindAddress: options.server_ip ?? "0.0.0.0", port: serverPort },
  });
};
