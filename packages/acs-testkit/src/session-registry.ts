/**
 * The open sessions of one ACS: found by cookie (H6) or, where the profile binds sessions to
 * TCP connections (GenieACS), by connection; each with its inactivity timer; ended exactly once
 * with an outcome, which fails an unanswered call and publishes the session's record.
 * @module
 */
import type { IncomingHttpHeaders } from "node:http";
import { Deferred, Effect, Fiber } from "effect";
import type { AcsSession, SessionOutcome, SessionRecord } from "./acs-session.js";
import type { Inbox } from "./inbox.js";
import type { QuirkProfile } from "./quirk-profile.js";
import { TestAcsError } from "./testkit-error.js";

/** The open sessions of one ACS (one instance per ACS). */
export class SessionRegistry {
  private readonly byId = new Map<string, AcsSession>();
  private readonly byConnection = new Map<number, AcsSession>();

  constructor(
    private readonly profile: QuirkProfile,
    private readonly records: Inbox<SessionRecord>,
    /** Overrides each session's negotiated timeout (tests use short ones). */
    private readonly timeoutMs: number | undefined,
    private readonly fork: (effect: Effect.Effect<void>) => Fiber.RuntimeFiber<void>,
  ) {}

  /** Number of sessions open now. */
  get size(): number {
    return this.byId.size;
  }

  /** The open session a request belongs to, if any. */
  find(headers: IncomingHttpHeaders, connection: number): AcsSession | undefined {
    const id = cookieValue(headers.cookie, this.profile.cookieName);
    const byCookie = id === undefined ? undefined : this.byId.get(id);
    if (byCookie) return byCookie;
    return this.profile.sessionBoundToConnection ? this.byConnection.get(connection) : undefined;
  }

  /** Registers a new session, or notes that an open one used `connection`. */
  bind(session: AcsSession, connection: number): void {
    this.byId.set(session.id, session);
    this.byConnection.set(connection, session);
  }

  /** True while `session` is open. */
  isOpen(session: AcsSession): boolean {
    return this.byId.has(session.id);
  }

  /** Forgets which session a closed TCP connection carried. */
  connectionClosed(connection: number): void {
    this.byConnection.delete(connection);
  }

  /** Stops the inactivity timer while the ACS itself is busy with a request. */
  pauseTimer(session: AcsSession): Effect.Effect<void> {
    const timer = session.timer;
    session.timer = undefined;
    return timer ? Fiber.interrupt(timer) : Effect.void;
  }

  /** (Re)starts the inactivity timer after an answer: CPE silence then ends the session. */
  restartTimer(session: AcsSession): Effect.Effect<void> {
    return Effect.gen(this, function* () {
      yield* this.pauseTimer(session);
      const ms = this.timeoutMs ?? session.negotiation.sessionTimeoutSeconds * 1000;
      session.timer = this.fork(
        Effect.sleep(ms).pipe(
          Effect.zipRight(
            Effect.suspend(() => {
              session.timer = undefined;
              return this.end(session, "timedOut");
            }),
          ),
        ),
      );
    });
  }

  /** Ends `session` (once): fails its unanswered call, publishes its record. */
  end(session: AcsSession, outcome: SessionOutcome): Effect.Effect<void> {
    return Effect.gen(this, function* () {
      if (!this.byId.has(session.id)) return;
      this.byId.delete(session.id);
      for (const [conn, s] of this.byConnection) if (s === session) this.byConnection.delete(conn);
      const timer = session.timer;
      session.timer = undefined;
      // Fork the interruption: `end` may run on the timer's own fiber.
      if (timer) yield* Fiber.interruptFork(timer);
      if (session.outstanding) {
        yield* Deferred.fail(
          session.outstanding.call.result,
          new TestAcsError({
            reason: "SessionEnded",
            detail: `session ${outcome} before the CPE answered`,
          }),
        );
        session.outstanding = undefined;
      }
      this.records.push(session.record(outcome, new Date()));
    });
  }

  /** Ends every open session with `outcome`. */
  endAll(outcome: SessionOutcome): Effect.Effect<void> {
    return Effect.forEach([...this.byId.values()], (s) => this.end(s, outcome), { discard: true });
  }
}

/** The value of cookie `name`; commas separate cookies too, as some CPEs write them (GA#82). */
export const cookieValue = (header: string | undefined, name: string): string | undefined => {
  if (header === undefined) return undefined;
  for (const part of header.split(/[;,]/)) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name)
      return part
        .slice(eq + 1)
        .trim()
        .replace(/^"|"$/g, "");
  }
  return undefined;
};
