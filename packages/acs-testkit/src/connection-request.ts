/**
 * The ACS's Connection Request (C1-C4): an HTTP GET to the CPE's ConnectionRequestURL, answering
 * a Digest (or Basic) challenge with the ConnectionRequestUsername/Password, returning the final
 * HTTP status. Loopback only: the testkit never sends traffic off the machine.
 * @module
 */
import { Effect } from "effect";
import { type Dispatcher, request } from "undici";
import { basicAuthorization, digestAuthorization, parseAuthParams } from "./http-auth.js";
import { TestAcsError } from "./testkit-error.js";

/** What one connection request did. */
export interface ConnectionRequestResult {
  /** The final HTTP status (after answering a challenge, if any). */
  readonly status: number;
  /** Whether the CPE challenged the first GET (401). */
  readonly challenged: boolean;
  /** The `Authorization` header sent on the second GET, if any. */
  readonly authorization?: string;
  readonly durationMs: number;
}

const loopbackHosts = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** Sends a connection request to `url` (loopback only) with the given credentials. */
export const sendConnectionRequest = (p: {
  readonly url: string;
  readonly username: string;
  readonly password: string;
  readonly dispatcher: Dispatcher;
  /** Answer a Basic challenge too (GenieACS does only with `connectionRequestAllowBasicAuth`). */
  readonly allowBasic?: boolean;
}): Effect.Effect<ConnectionRequestResult, TestAcsError> =>
  Effect.gen(function* () {
    const target = yield* Effect.try({
      try: () => new URL(p.url),
      catch: (cause) =>
        new TestAcsError({ reason: "BadInput", detail: `not a URL: ${p.url}`, cause }),
    });
    if (target.protocol !== "http:" || !loopbackHosts.has(target.hostname))
      return yield* new TestAcsError({
        reason: "BadInput",
        detail: `not a loopback http URL: ${p.url}`,
      });
    const started = performance.now();
    const get = (authorization?: string) =>
      Effect.tryPromise({
        try: async () => {
          const res = await request(target, {
            method: "GET",
            dispatcher: p.dispatcher,
            headers: authorization ? { authorization } : {},
          });
          await res.body.dump();
          return res;
        },
        catch: (cause) =>
          new TestAcsError({ reason: "Transport", detail: `GET ${p.url} failed`, cause }),
      });
    const first = yield* get();
    const done = (
      status: number,
      challenged: boolean,
      authorization?: string,
    ): ConnectionRequestResult => ({
      status,
      challenged,
      ...(authorization ? { authorization } : {}),
      durationMs: Math.round(performance.now() - started),
    });
    if (first.statusCode !== 401) return done(first.statusCode, false);
    const header = first.headers["www-authenticate"];
    const challenges = (Array.isArray(header) ? header : header ? [header] : []) as string[];
    const digest = challenges.find((c) => /^digest\s/i.test(c));
    const uri = `${target.pathname}${target.search}`;
    const authorization = digest
      ? digestAuthorization({
          challenge: parseAuthParams(digest.replace(/^digest\s+/i, "")),
          username: p.username,
          password: p.password,
          method: "GET",
          uri,
        })
      : p.allowBasic && challenges.some((c) => /^basic\b/i.test(c))
        ? basicAuthorization(p.username, p.password)
        : undefined;
    if (authorization === undefined) return done(401, true);
    const second = yield* get(authorization);
    return done(second.statusCode, true, authorization);
  });
