/**
 * A facade over cpekit's RPC registry in the style of Quectel's QuecPython TR-069 client, whose
 * users "register" a handler by adding its name to the `INCLODE` dispatch table of `methods.py`
 * and remove one to disable it.
 *
 * - `register(name, (ctx) => ...)`: `ctx.request` is the request as Quectel's `parseXml` shaped
 *   it (`name`, `namespace`, `localName`, `attrs`, `text`, `children`); the handler answers body
 *   XML (what Quectel's `callback` took), a typed message, or a fault (returned or thrown), in a
 *   Promise or not.
 * - `unregister(name)`: the method is answered with fault 9000 and left out of GetRPCMethods.
 * - `include(names)`: Quectel's `INCLODE` whitelist: only these methods stay.
 * @module
 */
import {
  CwmpFault,
  type CwmpMessage,
  cwmpFault,
  type ParameterValueStruct,
  type RpcContext,
  type RpcRegistry,
} from "@cpekit/core";
import { Effect, Either } from "effect";
import { messageOfBodyXml, type QuectelElement, quectelElementOf } from "./quectel-element.js";

/** What a Quectel-style handler receives. */
export interface QuectelHandlerContext {
  /** The request, shaped like Quectel's `parseXml` output. */
  readonly request: QuectelElement;
  /** The same request as cpekit's typed message. */
  readonly message: CwmpMessage;
  /** Reads values from the device's data model (Quectel's handlers read the `device` dict). */
  readonly getValues: (names: readonly string[]) => Promise<readonly ParameterValueStruct[]>;
  /** The full cpekit context (data model, device actions, after-session work). */
  readonly rpc: RpcContext;
}

/** What a handler may answer: body XML, a message, or a fault. */
export type QuectelHandlerResult = string | CwmpMessage | CwmpFault;

/** A Quectel-style handler. Throwing a {@link CwmpFault} answers that fault; anything else thrown is 9002. */
export type QuectelHandler = (
  context: QuectelHandlerContext,
) => QuectelHandlerResult | Promise<QuectelHandlerResult>;

/** The handler table of one agent. */
export interface QuectelHandlerTable {
  /** Adds or replaces the handler of `name` (a CWMP method or a vendor `X_...` method). */
  readonly register: (name: string, handler: QuectelHandler) => void;
  /** Removes `name`; true when it was there. Its requests then get fault 9000. */
  readonly unregister: (name: string) => boolean;
  /** Keeps only `names` (Quectel's `INCLODE` set); later `register` calls still add methods. */
  readonly include: (names: Iterable<string>) => void;
  /** The methods answered now (the GetRPCMethods list). */
  readonly methods: () => readonly string[];
}

/** Builds a fault to return or throw from a handler (Quectel's `createFaultResponse(code, text)`). */
export const quectelFault = (code: number, faultString?: string): CwmpFault =>
  cwmpFault(code, faultString);

const settle = (
  result: QuectelHandlerResult,
  context: RpcContext,
): Effect.Effect<CwmpMessage, CwmpFault> => {
  if (result instanceof CwmpFault) return Effect.fail(result);
  if (typeof result === "string")
    return Either.match(messageOfBodyXml(result, context.session.version), {
      onLeft: Effect.fail,
      onRight: Effect.succeed,
    });
  return Effect.succeed(result);
};

/** Adapts a Quectel-style handler to cpekit's `RpcHandler`. */
const adapt =
  (handler: QuectelHandler) =>
  (rpc: RpcContext): Effect.Effect<CwmpMessage, CwmpFault> =>
    Effect.gen(function* () {
      const request = quectelElementOf(rpc.request, rpc.session.version);
      if (request === undefined)
        return yield* cwmpFault(9002, `cannot present ${rpc.request._tag} to the handler`);
      const context: QuectelHandlerContext = {
        request,
        message: rpc.request,
        rpc,
        getValues: (names) =>
          Effect.runPromise(Effect.either(rpc.dataModel.getParameterValues(names))).then((r) => {
            if (Either.isLeft(r)) throw r.left;
            return r.right;
          }),
      };
      const result = yield* Effect.tryPromise({
        try: async () => handler(context),
        catch: (e) =>
          e instanceof CwmpFault
            ? e
            : cwmpFault(9002, `handler failed: ${e instanceof Error ? e.message : String(e)}`),
      });
      return yield* settle(result, rpc);
    });

/** The Quectel-style table over `registry` (the agent's registry: built-ins are in it). */
export const quectelHandlers = (registry: RpcRegistry): QuectelHandlerTable => ({
  register: (name, handler) => registry.register(name, adapt(handler)),
  unregister: (name) => registry.unregister(name),
  include: (names) => registry.allowOnly(names),
  methods: () => registry.methods(),
});
