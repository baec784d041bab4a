/**
 * The CPE's STUN client of TR-069 Annex G (requirement section 1.8), without a socket: it
 * sends through a `send` function and is handed the STUN datagrams the socket receives
 * (`udp-connection-request.ts` owns the socket, shared with the UDP Connection Request
 * listener, so the binding it learns is the one Connection Requests arrive through).
 *
 * One cycle: read the settings (they may change at run time); when STUNEnable is false,
 * publish the local address and wait for a refresh. Otherwise send a Binding Request (with
 * CONNECTION-REQUEST-BINDING) to STUNServerAddress:STUNServerPort (the ACS host when the
 * address is empty), retransmitted as RFC 3489 §9.3 says (100 ms doubling to 1.6 s, 9 sends);
 * a 401 answer makes it sign this and later requests with STUNUsername/STUNPassword. The
 * mapped address becomes the binding (NATDetected when it is not the socket's own address);
 * when it differs from the last one, a Binding Request with BINDING-CHANGE follows at once.
 * Then it waits the keep-alive period ({@link keepAlivePeriodSeconds}); after a failed
 * exchange it waits STUNMinimumKeepAlivePeriod (at least 1 s). All waits are on Effect's
 * Clock, so `TestClock` drives it.
 * @module
 */
import { randomBytes as nodeRandomBytes } from "node:crypto";
import { Deferred, Duration, Effect, Option, Queue, Ref } from "effect";
import {
  annexGBindingRequest,
  authority,
  decodeStunMessage,
  errorCode,
  mappedAddress,
  newTransactionId,
  type StunAddress,
  type StunMessage,
  StunType,
} from "./stun-message.js";
import { keepAlivePeriodSeconds, type StunSettings } from "./stun-settings.js";

/** The address published as UDPConnectionRequestAddress, and NATDetected. */
export interface UdpBinding {
  /** `host:port` (IPv6 in brackets). */
  readonly address: string;
  readonly natDetected: boolean;
  /** True when learned through STUN, false when it is the local address (STUN off). */
  readonly viaStun: boolean;
}

/** What the client needs from its surroundings. */
export interface StunClientOptions {
  /** Sends one datagram from the shared socket. */
  readonly send: (bytes: Uint8Array, port: number, host: string) => Effect.Effect<void>;
  /** The settings, read at every cycle. */
  readonly settings: Effect.Effect<StunSettings>;
  /** The host of the ACS URL (used when STUNServerAddress is empty). */
  readonly acsHost: Effect.Effect<string>;
  /** The socket's address as published without STUN, and its port. */
  readonly local: { readonly address: string; readonly port: number };
  /** Whether an address is one of this machine's own (no NAT in between). */
  readonly isLocalAddress: (address: string) => boolean;
  /** Called after every successful exchange (and with the local address when STUN is off). */
  readonly onBinding: (binding: UdpBinding) => Effect.Effect<void>;
  /** Random bytes for transaction IDs. Default node:crypto. */
  readonly randomBytes?: (n: number) => Uint8Array;
}

/** A running client's handles. */
export interface StunClient {
  /** Hands over a datagram that looked like STUN. */
  readonly deliver: (bytes: Uint8Array) => Effect.Effect<void>;
  /** The client's life: fork it in a scope. */
  readonly run: Effect.Effect<never>;
  /** Ends the current wait: the settings are read again and a Binding Request goes out. */
  readonly refresh: Effect.Effect<void>;
  /**
   * Reads the settings and refreshes only when they differ from those of the last cycle (call
   * it after every session: an ACS SetParameterValues of STUN* then applies at once, and
   * sessions that changed nothing send no extra Binding Request).
   */
  readonly applySettings: Effect.Effect<void>;
}

/** RFC 3489 §9.3 retransmission: the wait after each send, 9 sends, 9.5 s in all. */
export const RETRANSMIT_MS: readonly number[] = [100, 200, 400, 800, 1600, 1600, 1600, 1600, 1600];

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/** Builds a client; nothing is sent before `run` is forked. */
export const makeStunClient = (options: StunClientOptions): Effect.Effect<StunClient> =>
  Effect.gen(function* () {
    const random = options.randomBytes ?? ((n: number) => new Uint8Array(nodeRandomBytes(n)));
    const pending = yield* Ref.make(new Map<string, Deferred.Deferred<StunMessage>>());
    const wake = yield* Queue.sliding<void>(1);
    // The server asked for credentials once: sign from then on (Annex G: only if it asks).
    const signing = yield* Ref.make(false);
    const previous = yield* Ref.make<Option.Option<StunAddress>>(Option.none());
    const inUse = yield* Ref.make<Option.Option<StunSettings>>(Option.none());

    const deliver = (bytes: Uint8Array) =>
      Effect.gen(function* () {
        let message: StunMessage;
        try {
          message = decodeStunMessage(bytes);
        } catch {
          return;
        }
        if (message.type === StunType.BindingRequest) return;
        const waiting = (yield* Ref.get(pending)).get(hex(message.transactionId));
        if (waiting !== undefined) yield* Deferred.succeed(waiting, message);
      });

    /** One transaction: sends with retransmissions until an answer or 9.5 s. */
    const transact = (transactionId: Uint8Array, bytes: Uint8Array, host: string, port: number) =>
      Effect.gen(function* () {
        const answer = yield* Deferred.make<StunMessage>();
        const key = hex(transactionId);
        yield* Ref.update(pending, (m) => new Map(m).set(key, answer));
        for (const waitMs of RETRANSMIT_MS) {
          yield* options.send(bytes, port, host);
          const got = yield* Effect.timeoutOption(Deferred.await(answer), Duration.millis(waitMs));
          if (Option.isSome(got)) return got;
        }
        return Option.none<StunMessage>();
      }).pipe(
        Effect.ensuring(
          Ref.update(pending, (m) => {
            const next = new Map(m);
            next.delete(hex(transactionId));
            return next;
          }),
        ),
      );

    /** A Binding Request (signed when the server asked) and its answer's mapped address. */
    const exchange = (s: StunSettings, host: string, bindingChange: boolean) =>
      Effect.gen(function* () {
        const send = (signed: boolean) => {
          const transactionId = newTransactionId(random);
          const bytes = annexGBindingRequest({
            transactionId,
            bindingChange,
            ...(signed
              ? {
                  credentials: {
                    username: s.username,
                    password: s.password,
                    style: s.integrity ?? "rfc3489",
                  },
                }
              : {}),
          });
          return transact(transactionId, bytes, host, s.serverPort);
        };
        const canSign = s.username !== "";
        let answer = yield* send(canSign && (yield* Ref.get(signing)));
        if (
          Option.isSome(answer) &&
          answer.value.type === StunType.BindingErrorResponse &&
          errorCode(answer.value)?.code === 401 &&
          canSign &&
          !(yield* Ref.get(signing))
        ) {
          yield* Ref.set(signing, true);
          answer = yield* send(true);
        }
        if (Option.isNone(answer)) {
          yield* Effect.logDebug(`STUN: no answer from ${host}:${s.serverPort}`);
          return Option.none<StunAddress>();
        }
        if (answer.value.type !== StunType.BindingResponse) {
          const e = errorCode(answer.value);
          yield* Effect.logWarning(
            `STUN: ${host}:${s.serverPort} answered error ${e?.code ?? "?"} ${e?.reason ?? ""}`,
          );
          return Option.none<StunAddress>();
        }
        return Option.fromNullable(mappedAddress(answer.value));
      });

    const publishLocal = options.onBinding({
      address: authority(options.local),
      natDetected: false,
      viaStun: false,
    });

    /** One cycle; returns how long to wait before the next. */
    const cycle = Effect.gen(function* () {
      const s = yield* options.settings;
      yield* Ref.set(inUse, Option.some(s));
      if (!s.enable) {
        yield* Ref.set(previous, Option.none());
        yield* publishLocal;
        return Option.none<number>();
      }
      const host = s.serverAddress !== "" ? s.serverAddress : yield* options.acsHost;
      const mapped = yield* exchange(s, host, false);
      if (Option.isNone(mapped)) return Option.some(Math.max(1, s.minKeepAliveSeconds));
      const before = yield* Ref.getAndSet(previous, mapped);
      yield* options.onBinding({
        address: authority(mapped.value),
        natDetected: !(
          options.isLocalAddress(mapped.value.address) && mapped.value.port === options.local.port
        ),
        viaStun: true,
      });
      if (Option.isSome(before) && authority(before.value) !== authority(mapped.value)) {
        yield* Effect.logInfo(
          `STUN: binding changed ${authority(before.value)} -> ${authority(mapped.value)}`,
        );
        yield* exchange(s, host, true);
      }
      return Option.some(keepAlivePeriodSeconds(s));
    });

    const run = Effect.forever(
      Effect.flatMap(cycle, (wait) =>
        Option.match(wait, {
          onNone: () => Queue.take(wake),
          onSome: (seconds) =>
            Effect.race(Queue.take(wake), Effect.sleep(Duration.seconds(seconds))),
        }),
      ),
    );

    const refresh = Queue.offer(wake, undefined).pipe(Effect.asVoid);
    const applySettings = Effect.gen(function* () {
      const now = yield* options.settings;
      const used = yield* Ref.get(inUse);
      if (Option.isNone(used) || JSON.stringify(used.value) !== JSON.stringify(now)) yield* refresh;
    });
    return { deliver, run, refresh, applySettings };
  });
