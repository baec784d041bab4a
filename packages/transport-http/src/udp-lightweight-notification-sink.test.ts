import * as dgram from "node:dgram";
import type { AddressInfo } from "node:net";
import { encodeLightweightNotification } from "@cpekit/core";
import { Effect, type Scope } from "effect";
import { describe, expect, it } from "vitest";
import { MAX_UDP_PAYLOAD_BYTES, make } from "./udp-lightweight-notification-sink.js";

/** A receiving socket on 127.0.0.1 (free port) that collects datagrams; closed by the scope. */
const receiver = Effect.acquireRelease(
  Effect.async<{
    readonly socket: dgram.Socket;
    readonly port: number;
    readonly next: () => Promise<string>;
  }>((resume) => {
    const socket = dgram.createSocket("udp4");
    const got: string[] = [];
    const waiting: ((s: string) => void)[] = [];
    socket.on("message", (m) => {
      const w = waiting.shift();
      if (w) w(m.toString("utf8"));
      else got.push(m.toString("utf8"));
    });
    socket.bind({ address: "127.0.0.1", port: 0 }, () =>
      resume(
        Effect.succeed({
          socket,
          port: (socket.address() as AddressInfo).port,
          next: () =>
            new Promise<string>((r) => {
              const first = got.shift();
              if (first !== undefined) r(first);
              else waiting.push(r);
            }),
        }),
      ),
    );
  }),
  (r) => Effect.sync(() => r.socket.close()),
);

const message = encodeLightweightNotification({
  timestamp: 1_767_225_600,
  username: "cpe-1",
  cnonce: "00ff",
  device: { oui: "00AABB", productClass: "EC200U", serialNumber: "SN1" },
  parameters: [{ name: "Device.Cellular.Interface.1.RSSI", value: "-71" }],
});

const run = <A>(e: Effect.Effect<A, unknown, Scope.Scope>) =>
  Effect.runPromise(Effect.scoped(e).pipe(Effect.timeout("10 seconds")));

describe("UDP Lightweight Notification sink (Annex M, V8)", () => {
  it("V8 a notification arrives as one UTF-8 datagram at the host and port asked", async () => {
    await run(
      Effect.gen(function* () {
        const r = yield* receiver;
        const sink = yield* make({ bindAddress: "127.0.0.1" });
        expect(sink.protocols).toEqual(["UDP"]);
        const withUtf8 = message.replace("cpe-1", "cpé-1");
        yield* sink.send({ host: "127.0.0.1", port: r.port, payload: withUtf8 });
        yield* sink.send({ host: "127.0.0.1", port: r.port, payload: message });
        expect(yield* Effect.promise(r.next)).toBe(withUtf8);
        expect(yield* Effect.promise(r.next)).toBe(message);
      }),
    );
  });

  it("V8 a message too large for a datagram is refused with a clear error, nothing sent", async () => {
    await run(
      Effect.gen(function* () {
        const r = yield* receiver;
        const sink = yield* make({ bindAddress: "127.0.0.1" });
        const big = message.replace("-71", "x".repeat(MAX_UDP_PAYLOAD_BYTES));
        const e = yield* Effect.flip(sink.send({ host: "127.0.0.1", port: r.port, payload: big }));
        expect(e._tag).toBe("LightweightNotificationSendError");
        expect(e.message).toMatch(/does not fit a datagram/);
        // The socket still works afterwards.
        yield* sink.send({ host: "127.0.0.1", port: r.port, payload: message });
        expect(yield* Effect.promise(r.next)).toBe(message);
      }),
    );
  });
});
