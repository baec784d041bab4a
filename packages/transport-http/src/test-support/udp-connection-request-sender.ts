/**
 * Test support: raw datagrams to the UDP Connection Request listener, for tests that send
 * what the testkit's `sendUdpConnectionRequest` would not (a message addressed to the public
 * binding but delivered on loopback, malformed text). The messages themselves come from the
 * testkit's ACS side (`signUdpConnectionRequest`, `udpConnectionRequestText`).
 * @module
 */
import * as dgram from "node:dgram";

/** Sends `text` to 127.0.0.1:`port` `times` times from one fresh socket. */
export const sendDatagram = async (port: number, text: string | Uint8Array, times = 1) => {
  const socket = dgram.createSocket("udp4");
  try {
    for (let i = 0; i < times; i++)
      await new Promise<void>((resolve, reject) =>
        socket.send(typeof text === "string" ? Buffer.from(text) : text, port, "127.0.0.1", (e) =>
          e ? reject(e) : resolve(),
        ),
      );
  } finally {
    socket.close();
  }
};
