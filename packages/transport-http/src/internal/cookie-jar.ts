/**
 * The cookies of one CWMP session (requirement H6), kept in a tough-cookie jar: every
 * `Set-Cookie` of every response is stored, and the matching `Cookie` header goes on every
 * later request of the session, whichever TCP connection carries it.
 * @module
 */
import { CookieJar } from "tough-cookie";

/** A per-session cookie jar. Dropped with the session, never shared between devices. */
export class SessionCookieJar {
  // Created with the first Set-Cookie: most sessions get none, and asking an empty tough-cookie
  // jar for the header of every request still parses the URL and searches its store.
  private jar: CookieJar | undefined;

  /** Stores the `Set-Cookie` values of a response from `url`; invalid cookies are ignored. */
  store(url: string, setCookie: string | readonly string[] | undefined): void {
    if (setCookie === undefined) return;
    const list = typeof setCookie === "string" ? [setCookie] : setCookie;
    if (list.length === 0) return;
    // looseMode accepts the "value only" cookies some ACSes send (GA#82 lists such quirks).
    this.jar ??= new CookieJar(undefined, { looseMode: true });
    for (const value of list) this.jar.setCookieSync(value, url, { ignoreError: true });
  }

  /** The `Cookie` header value for a request to `url`, or undefined when no cookie matches. */
  header(url: string): string | undefined {
    if (this.jar === undefined) return undefined;
    const value = this.jar.getCookieStringSync(url);
    return value === "" ? undefined : value;
  }
}
