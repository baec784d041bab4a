/**
 * How the session machine reaches the ACS and the RPC handlers: two plain calls that report
 * their result through callbacks. The machine starts one from the entry action of each state
 * that waits (`post`, `handleRpc`) and turns the result into an event sent to itself, so a POST
 * costs a function call, not an invoked actor, a promise and an abort signal (issue 11).
 * @module
 */
import type { HandleRpcInput, HandleRpcOutput, PostInput, PostOutput } from "./session-io.js";

/** Where an exchange reports its result: exactly one of the two, at most once. */
export interface ExchangeSettle<A> {
  readonly done: (value: A) => void;
  /** A `TransportError` or a SOAP `DecodeError` for `post`; anything else is a bug (Internal). */
  readonly fail: (error: unknown) => void;
}

/**
 * The session's I/O, given in its input ({@link SessionInput.exchange}). A result may be
 * reported synchronously (within the call) or later; the machine ignores results that arrive
 * after the session ended. `run-session.ts` runs the transport and the RPC registry's Effect
 * programs; tests give fakes (see {@link promiseExchange}).
 */
export interface SessionExchange {
  /** POSTs an envelope (or the empty POST) and decodes the ACS's answer (`null`: empty body). */
  readonly post: (input: PostInput, settle: ExchangeSettle<PostOutput>) => void;
  /** Runs the RPC registry on one ACS request. */
  readonly handleRpc: (input: HandleRpcInput, settle: ExchangeSettle<HandleRpcOutput>) => void;
}

/** A {@link SessionExchange} from functions that return a value or a promise (tests, fakes). */
export const promiseExchange = (calls: {
  readonly post?: (input: PostInput) => PostOutput | PromiseLike<PostOutput>;
  readonly handleRpc?: (input: HandleRpcInput) => HandleRpcOutput | PromiseLike<HandleRpcOutput>;
}): SessionExchange => {
  const settleWith = <I, A>(
    call: ((input: I) => A | PromiseLike<A>) | undefined,
    name: string,
  ): ((input: I, settle: ExchangeSettle<A>) => void) => {
    return (input, settle) => {
      if (call === undefined) {
        settle.fail(new Error(`the session's ${name} was not provided`));
        return;
      }
      Promise.resolve()
        .then(() => call(input))
        .then(settle.done, settle.fail);
    };
  };
  return {
    post: settleWith(calls.post, "post"),
    handleRpc: settleWith(calls.handleRpc, "handleRpc"),
  };
};
