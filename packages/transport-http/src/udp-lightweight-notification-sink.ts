/**
 * `LightweightNotificationSink` over UDP (TR-069 Annex M, requirement V8): each UDP Lightweight
 * Notification goes out as one datagram to `UDPLightweightNotificationHost` /
 * `UDPLightweightNotificationPort`. No answer is expected (Annex M has none).
 *
 * One socket per address family, opened at the first send to that family and closed with the
 * scope; a host name is resolved by `dgram` itself (IPv4 first, the common case for an ACS).
 * @module
 */
import * as dgram from "node:dgram";
import { isIPv6 } from "node:net";
import {
  type LightweightNotificationDatagram,
  LightweightNotificationSendError,
  LightweightNotificationSink,
  type LightweightNotificationSinkService,
} from "@cpekit/core";
import { Effect, Layer, type Scope } from "effect";

/** The largest UDP payload over IPv4 (65535 - 8 UDP - 20 IP header bytes). */
export const MAX_UDP_PAYLOAD_BYTES = 65_507;

/** Settings of the sending sockets. */
export interface UdpLightweightNotificationSinkOptions {
  /** Local address to send from (IPv4). Default: any. */
  readonly bindAddress?: string;
}

const openSocket = (
  type: "udp4" | "udp6",
  bindAddress: string | undefined,
): Effect.Effect<dgram.Socket, LightweightNotificationSendError> =>
  Effect.async((resume) => {
    const socket = dgram.createSocket(type);
    const fail = (e: Error) => {
      socket.close();
      resume(Effect.fail(new LightweightNotificationSendError({ detail: e.message, cause: e })));
    };
    socket.once("error", fail);
    socket.bind(
      type === "udp4" && bindAddress !== undefined ? { address: bindAddress } : {},
      () => {
        socket.off("error", fail);
        // A late error (ICMP unreachable on some systems) must not crash the process.
        socket.on("error", () => undefined);
        resume(Effect.succeed(socket));
      },
    );
  });

/** A sink sending from sockets owned by `scope`. */
export const make = (
  options: UdpLightweightNotificationSinkOptions = {},
): Effect.Effect<LightweightNotificationSinkService, never, Scope.Scope> =>
  Effect.gen(function* () {
    const sockets = new Map<"udp4" | "udp6", dgram.Socket>();
    yield* Effect.addFinalizer(() =>
      Effect.sync(() => {
        for (const s of sockets.values()) s.close();
        sockets.clear();
      }),
    );
    const lock = yield* Effect.makeSemaphore(1);
    const socketFor = (type: "udp4" | "udp6") =>
      lock.withPermits(1)(
        Effect.suspend(() => {
          const open = sockets.get(type);
          return open !== undefined
            ? Effect.succeed(open)
            : Effect.tap(openSocket(type, options.bindAddress), (s) =>
                Effect.sync(() => sockets.set(type, s)),
              );
        }),
      );
    const send = (d: LightweightNotificationDatagram) =>
      Effect.gen(function* () {
        const payload = Buffer.from(d.payload, "utf8");
        if (payload.length > MAX_UDP_PAYLOAD_BYTES)
          return yield* new LightweightNotificationSendError({
            detail: `message of ${payload.length} bytes does not fit a datagram`,
          });
        const host = d.host.replace(/^\[(.*)\]$/, "$1");
        const socket = yield* socketFor(isIPv6(host) ? "udp6" : "udp4");
        yield* Effect.async<void, LightweightNotificationSendError>((resume) => {
          socket.send(payload, d.port, host, (e) => {
            resume(
              e
                ? Effect.fail(
                    new LightweightNotificationSendError({
                      detail: `${host}:${d.port}: ${e.message}`,
                      cause: e,
                    }),
                  )
                : Effect.void,
            );
          });
        });
      });
    return { protocols: ["UDP"], send } satisfies LightweightNotificationSinkService;
  });

/** The `LightweightNotificationSink` layer (sockets closed when the layer's scope closes). */
export const layer = (
  options: UdpLightweightNotificationSinkOptions = {},
): Layer.Layer<LightweightNotificationSink> =>
  Layer.scoped(LightweightNotificationSink, make(options));
