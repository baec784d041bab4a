/**
 * The client's authentication state for one connection: which scheme to answer with, and the
 * Digest state once a challenge was received (requirements A1-A3).
 *
 * Flow: a request goes out with {@link HttpAuthenticator.authorization}; on a 401 the caller
 * hands the challenges to {@link HttpAuthenticator.onUnauthorized}, which says whether one
 * more attempt makes sense. Digest is preferred to Basic when both are offered.
 * @module
 */

import { basicAuthorization, DigestClient, pickDigestChallenge } from "../digest-auth.js";
import { parseAuthHeader } from "./auth-params.js";

/**
 * Attempts of one request against 401s: the first, the answer to the challenge, and one
 * answer to a `stale=true` challenge.
 */
export const maxAuthAttempts = 3;

/** A username and password to answer challenges with. */
export interface HttpCredentials {
  readonly username: string;
  readonly password: string;
}

type AuthState =
  | { readonly kind: "none" }
  | { readonly kind: "basic" }
  | { readonly kind: "digest"; readonly client: DigestClient };

/** Authentication of one connection (one session, or one file transfer). */
export class HttpAuthenticator {
  private state: AuthState;

  /**
   * @param credentials none: challenges cannot be answered.
   * @param preemptiveBasic send Basic credentials before any challenge (sensible over TLS only, A1).
   * @param allowBasic answer Basic challenges at all (false: only Digest reveals nothing).
   */
  constructor(
    private readonly credentials: HttpCredentials | undefined,
    preemptiveBasic = false,
    private readonly allowBasic = true,
  ) {
    this.state = credentials && preemptiveBasic ? { kind: "basic" } : { kind: "none" };
  }

  /** The `Authorization` value for the next request, if any. */
  authorization(method: string, uri: string): string | undefined {
    const c = this.credentials;
    if (c === undefined) return undefined;
    switch (this.state.kind) {
      case "none":
        return undefined;
      case "basic":
        return basicAuthorization(c.username, c.password);
      case "digest":
        return this.state.client.authorization(method, uri);
    }
  }

  /**
   * Takes the `WWW-Authenticate` values of a 401 and returns true when another attempt can
   * succeed: a first challenge to answer, or a Digest `stale=true` (a new nonce, same
   * credentials). A plain refusal of credentials already sent returns false, so a wrong
   * password never loops.
   */
  onUnauthorized(wwwAuthenticate: string | readonly string[] | undefined): boolean {
    const c = this.credentials;
    if (c === undefined) return false;
    const challenges = parseAuthHeader(wwwAuthenticate);
    const digest = pickDigestChallenge(challenges);
    if (digest !== undefined) {
      if (this.state.kind === "digest") {
        if (!digest.stale) return false;
        this.state.client.adopt(digest);
        return true;
      }
      this.state = { kind: "digest", client: new DigestClient(digest, c) };
      return true;
    }
    if (
      this.allowBasic &&
      this.state.kind !== "basic" &&
      challenges.some((ch) => ch.scheme === "basic")
    ) {
      this.state = { kind: "basic" };
      return true;
    }
    return false;
  }

  /** Forgets the negotiated scheme (after a redirect to another server). */
  reset(): void {
    this.state = { kind: "none" };
  }
}
