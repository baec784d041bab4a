/**
 * The source address the host would use towards a destination (`IPAddressUsed`): a connected
 * UDP socket makes the kernel pick the route and address without sending anything.
 * @module
 */
import { createSocket } from "node:dgram";
import { Effect } from "effect";

/** The local address for `address`, or `undefined` when there is no route (or no answer). */
export const sourceAddressFor = (
  address: string,
  family: 4 | 6,
): Effect.Effect<string | undefined> =>
  Effect.async<string | undefined>((resume) => {
    const socket = createSocket(family === 6 ? "udp6" : "udp4");
    const done = (value: string | undefined) => {
      socket.close();
      resume(Effect.succeed(value));
    };
    socket.on("error", () => done(undefined));
    // Port 9 (discard): only the route matters, nothing is sent.
    socket.connect(9, address, () => done(socket.address().address));
    return Effect.sync(() => {
      try {
        socket.close();
      } catch {
        // Already closed by `done`.
      }
    });
  });
