/**
 * The cookies of one CWMP session (requirement H6), kept in a tough-cookie jar: every
 * `Set-Cookie` of every response is stored, and the matching `Cookie` header goes on every
 * later request of the session, whichever TCP connection carries it.
 * @module
 */
import { CookieJar } from "tough-cookie";

/** A per-session cookie jar. Dropped with the session, never shared between devices. */
export class SessionCookieJar {
  // looseMode accepts the "value only" cookies some ACSes send (GA#82 lists such quirks).
  private readonly jar = new CookieJar(undefined, { looseMode: true });

  /** Stores the `Set-Cookie` values of a response from `url`; invalid cookies are ignored. */
  store(url: string, setCookie: string | readonly string[] | undefined): void {
    if (setCookie === undefined) return;
    const list = typeof setCookie === "string" ? [setCookie] : setCookie;
    for (const value of list) this.jar.setCookieSync(value, url, { ignoreError: true });
  }

  /** The `Cookie` header value for a request to `url`, or undefined when no cookie matches. */
  header(url: string): string | undefined {
    const value = this.jar.getCookieStringSync(url);
    return value === "" ? undefined : value;
  }
}
