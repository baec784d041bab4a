/**
 * One network probe of the host diagnostics that ends exactly once: with the outcome its
 * socket reports, at its timeout, when the test is aborted or when its fiber is interrupted.
 * The TCP and UDP probes share it so that every path frees the timer, the abort listener and
 * the socket.
 * @module
 */
import { Effect } from "effect";

/** Socket error codes that mean the host cannot be routed to. */
export const noRouteCodes: ReadonlySet<string> = new Set(["EHOSTUNREACH", "ENETUNREACH"]);

/** What a {@link boundedProbe} runs and how it ends when its socket says nothing. */
export interface BoundedProbe<A> {
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  /** The outcome when nothing came within `timeoutMs`. */
  readonly timedOut: A;
  /** The outcome when the test is aborted or the fiber interrupted. */
  readonly aborted: A;
  /** Opens the socket and sends the probe; `finish` ends it. Returns what closes the socket. */
  readonly start: (finish: (outcome: A) => void) => () => void;
}

/** Runs one probe to its first outcome (see the module comment). */
export const boundedProbe = <A>(probe: BoundedProbe<A>): Effect.Effect<A> =>
  Effect.async<A>((resume) => {
    let settled = false;
    let close: () => void = () => undefined;
    const finish = (outcome: A) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      probe.signal.removeEventListener("abort", onAbort);
      close();
      resume(Effect.succeed(outcome));
    };
    const timer = setTimeout(() => finish(probe.timedOut), probe.timeoutMs);
    const onAbort = () => finish(probe.aborted);
    probe.signal.addEventListener("abort", onAbort);
    close = probe.start(finish);
    return Effect.sync(() => finish(probe.aborted));
  });
