// The edges of the UDP Connection Request's parsing and replay memory (Annex G, G.2.1.3): each
// refused datagram differs from an accepted one in the one place the test names.
import { signUdpConnectionRequest, udpConnectionRequestText } from "@cpekit/acs-testkit";
import { describe, expect, it } from "vitest";
import {
  checkUdpConnectionRequest,
  initialUdpReplayState,
  MAX_UDP_CONNECTION_REQUEST_BYTES,
  parseUdpConnectionRequest,
  type UdpConnectionRequestMessage,
  type UdpReplayState,
  udpConnectionRequestSignature,
} from "./udp-connection-request-message.js";

const NOW = 1_800_000_000;
const target = { host: "203.0.113.7", port: 40001 };
const parse = (text: string) => parseUdpConnectionRequest(new Uint8Array(Buffer.from(text)));

type Field = keyof UdpConnectionRequestMessage;
/** A request line with the given fields (in this order, values as given) after `path?`. */
const requestLine = (fields: Partial<Record<Field, string>>, path = "/", version = "1.1") =>
  `GET ${path}?${Object.entries(fields)
    .map(([k, v]) => `${k}=${v}`)
    .join("&")} HTTP/${version}\r\n\r\n`;

describe("UDP Connection Request message edges (§1.8, Annex G)", () => {
  const f = signUdpConnectionRequest("cpe", "pw", NOW);
  const all = { ts: f.ts, id: f.id, un: f.un, cn: f.cn, sig: f.sig };

  it("§1.8: a datagram of exactly the size limit is read; one byte more is not", () => {
    const good = udpConnectionRequestText(target, f);
    const atLimit = `${good}${"x".repeat(MAX_UDP_CONNECTION_REQUEST_BYTES - good.length)}`;
    expect(Buffer.byteLength(atLimit)).toBe(MAX_UDP_CONNECTION_REQUEST_BYTES);
    expect(parse(atLimit)).toEqual(all);
    expect(parse(`${atLimit}x`)).toBeUndefined();
  });

  it("§1.8: the request line ends right after HTTP/1.0 or HTTP/1.1", () => {
    expect(parse(requestLine(all, "/", "1.0"))).toEqual(all);
    expect(parse(requestLine(all, "/", "1.1"))).toEqual(all);
    expect(parse(requestLine(all, "/", "1.10"))).toBeUndefined();
    expect(parse(requestLine(all, "/", "1.1 x"))).toBeUndefined();
  });

  it("§1.8: the values come from the query only: a target without '?' is refused even when it holds all five; any path may come before '?'", () => {
    const query = requestLine(all, "").slice("GET ?".length);
    expect(parse(`GET ${query}`)).toBeUndefined();
    expect(parse(`GET /${query}`)).toBeUndefined();
    expect(parse(requestLine(all, ""))).toEqual(all);
    expect(parse(requestLine(all, "http://203.0.113.7:40001/cr"))).toEqual(all);
  });

  it.each(["ts", "id", "un", "cn", "sig"] as const)(
    "§1.8: a datagram without %s is refused",
    (missing) => {
      const { [missing]: _, ...rest } = all;
      expect(parse(requestLine(all))).toEqual(all);
      expect(parse(requestLine(rest))).toBeUndefined();
    },
  );

  it("§1.8: sig is exactly 40 hex digits and id only decimal digits, with nothing before or after", () => {
    for (const sig of [`0${f.sig}`, `${f.sig}0`, `x${f.sig}`, `${f.sig}x`])
      expect(parse(requestLine({ ...all, sig }))).toBeUndefined();
    expect(parse(requestLine({ ...all, sig: f.sig.toUpperCase() }))?.sig).toBe(f.sig.toUpperCase());
    for (const id of [`${f.id}a`, `a${f.id}`, "1".repeat(21)])
      expect(parse(requestLine({ ...all, id }))).toBeUndefined();
    expect(parse(requestLine({ ...all, id: "1".repeat(20) }))?.id).toBe("1".repeat(20));
  });

  /** Accepts `count` messages with ids 1..count at NOW; the state after them. */
  const acceptMany = (count: number, rememberedIds?: number) => {
    let state: UdpReplayState = initialUdpReplayState;
    for (let n = 1; n <= count; n++) {
      const m = message(String(n));
      const [verdict, next] = checkUdpConnectionRequest(
        m,
        { username: "cpe", password: "pw" },
        state,
        NOW,
        rememberedIds === undefined ? {} : { rememberedIds },
      );
      expect(verdict).toBe("accepted");
      state = next;
    }
    return state;
  };
  const message = (id: string): UdpConnectionRequestMessage => {
    const fields = { ts: String(NOW), id, un: "cpe", cn: "c" };
    return { ...fields, sig: udpConnectionRequestSignature("pw", fields) };
  };

  it("§1.8: the last 64 accepted ids are remembered by default: the 65th pushes out the first, which is then accepted again", () => {
    const state = acceptMany(65);
    expect(state.recentIds).toEqual(Array.from({ length: 64 }, (_, i) => String(i + 2)));
    const creds = { username: "cpe", password: "pw" };
    expect(checkUdpConnectionRequest(message("2"), creds, state, NOW)[0]).toBe("replayed");
    expect(checkUdpConnectionRequest(message("1"), creds, state, NOW)[0]).toBe("accepted");
  });

  it("§1.8: rememberedIds sets how many accepted ids are kept, the newest ones", () => {
    expect(acceptMany(3, 2).recentIds).toEqual(["2", "3"]);
    expect(acceptMany(2, 2).recentIds).toEqual(["1", "2"]);
  });
});
