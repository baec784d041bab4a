import { signUdpConnectionRequest, udpConnectionRequestText } from "@cpekit/acs-testkit";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  checkUdpConnectionRequest,
  initialUdpReplayState,
  parseUdpConnectionRequest,
  type UdpConnectionRequestMessage,
  udpConnectionRequestSignature,
} from "./udp-connection-request-message.js";

const creds = { username: "cpe", password: "pw" };
const target = { host: "203.0.113.7", port: 40001 };
const NOW = 1_800_000_000;
const datagram = (f: UdpConnectionRequestMessage) =>
  new Uint8Array(Buffer.from(udpConnectionRequestText(target, f)));
const parsed = (f: UdpConnectionRequestMessage) => {
  const m = parseUdpConnectionRequest(datagram(f));
  if (m === undefined) throw new Error("did not parse");
  return m;
};

describe("UDP Connection Request message (§1.8, Annex G)", () => {
  it("§1.8: parses the GenieACS-style absolute-URI GET and accepts a correctly signed, fresh one", () => {
    const f = signUdpConnectionRequest("cpe", "pw", NOW);
    const m = parsed(f);
    expect(m).toEqual({ ts: f.ts, id: f.id, un: "cpe", cn: f.cn, sig: f.sig });
    expect(checkUdpConnectionRequest(m, creds, initialUdpReplayState, NOW)[0]).toBe("accepted");
  });

  it("§1.8: the signature is hex HMAC-SHA1 keyed with the password over ts‖id‖un‖cn (a known value)", () => {
    // Computed independently: printf '1700000000123cpeabc' | openssl sha1 -hmac pw
    expect(
      udpConnectionRequestSignature("pw", { ts: "1700000000", id: "123", un: "cpe", cn: "abc" }),
    ).toBe("1dad691079ee8e4c43bbd0c58da8990c87890c21");
  });

  it("§1.8: a percent-encoded username is compared decoded", () => {
    const f = signUdpConnectionRequest("cpe user&1", "pw", NOW);
    const m = parsed(f);
    expect(m.un).toBe("cpe user&1");
    expect(
      checkUdpConnectionRequest(
        m,
        { username: "cpe user&1", password: "pw" },
        initialUdpReplayState,
        NOW,
      )[0],
    ).toBe("accepted");
  });

  it("§1.8: drops a wrong username, a forged signature, a repeated id and a stale ts (older than the newest accepted, or beyond the skew)", () => {
    const f = signUdpConnectionRequest("cpe", "pw", NOW);
    const [ok, state] = checkUdpConnectionRequest(parsed(f), creds, initialUdpReplayState, NOW);
    expect(ok).toBe("accepted");
    expect(checkUdpConnectionRequest(parsed(f), creds, state, NOW)[0]).toBe("replayed");
    const other = signUdpConnectionRequest("admin", "pw", NOW);
    expect(checkUdpConnectionRequest(parsed(other), creds, state, NOW)[0]).toBe("wrongUsername");
    const forged = signUdpConnectionRequest("cpe", "not-the-password", NOW);
    expect(checkUdpConnectionRequest(parsed(forged), creds, state, NOW)[0]).toBe("badSignature");
    const older = signUdpConnectionRequest("cpe", "pw", NOW - 1);
    expect(checkUdpConnectionRequest(parsed(older), creds, state, NOW)[0]).toBe("stale");
    const ancient = signUdpConnectionRequest("cpe", "pw", NOW - 301);
    expect(checkUdpConnectionRequest(parsed(ancient), creds, initialUdpReplayState, NOW)[0]).toBe(
      "stale",
    );
    const future = signUdpConnectionRequest("cpe", "pw", NOW + 301);
    expect(checkUdpConnectionRequest(parsed(future), creds, initialUdpReplayState, NOW)[0]).toBe(
      "stale",
    );
    // Without a clock (maxSkewSeconds undefined) only the replay order applies.
    expect(
      checkUdpConnectionRequest(parsed(ancient), creds, initialUdpReplayState, NOW, {
        maxSkewSeconds: undefined,
      })[0],
    ).toBe("accepted");
  });

  it("§1.8: refused messages leave the replay state as it was; only accepted ones change it", () => {
    const f = signUdpConnectionRequest("cpe", "pw", NOW);
    const forged = { ...parsed(f), sig: "0".repeat(40) };
    const [verdict, state] = checkUdpConnectionRequest(forged, creds, initialUdpReplayState, NOW);
    expect(verdict).toBe("badSignature");
    expect(state).toBe(initialUdpReplayState);
    // The genuine message with the forged one's id is still accepted.
    expect(checkUdpConnectionRequest(parsed(f), creds, state, NOW)[0]).toBe("accepted");
  });

  it("§1.8: does not parse non-GETs, missing values, repeated values, non-decimal ts/id or a sig that is not 40 hex digits", () => {
    const f = signUdpConnectionRequest("cpe", "pw", NOW);
    const good = udpConnectionRequestText(target, f);
    const p = (s: string) => parseUdpConnectionRequest(new Uint8Array(Buffer.from(s)));
    expect(p(good)).toBeDefined();
    expect(p(good.replace("GET", "POST"))).toBeUndefined();
    expect(p(good.replace(`&cn=${f.cn}`, ""))).toBeUndefined();
    expect(p(good.replace(`&cn=${f.cn}`, `&cn=${f.cn}&cn=x`))).toBeUndefined();
    expect(p(good.replace(`ts=${f.ts}`, "ts=12a"))).toBeUndefined();
    expect(p(good.replace(`id=${f.id}`, "id=-1"))).toBeUndefined();
    expect(p(good.replace(`sig=${f.sig}`, `sig=${f.sig.slice(1)}`))).toBeUndefined();
    expect(p(good.replace(" HTTP/1.1", ""))).toBeUndefined();
    expect(p(`${good}${"x".repeat(3000)}`)).toBeUndefined();
  });

  it("§1.8: the request line may end in LF alone; GET must start it; a value without '=' is empty, '+' is a space, a bad %-escape stays as sent", () => {
    const f = signUdpConnectionRequest("cpe", "pw", NOW);
    const good = udpConnectionRequestText(target, f);
    const p = (s: string) => parseUdpConnectionRequest(new Uint8Array(Buffer.from(s)));
    expect(p(good.replace(/\r\n/g, "\n"))).toEqual(parsed(f));
    expect(p(`x${good}`)).toBeUndefined();
    expect(p(good.replace(`cn=${f.cn}`, "cn"))?.cn).toBe("");
    expect(p(good.replace(`cn=${f.cn}`, "cn=a+b"))?.cn).toBe("a b");
    expect(p(good.replace(`cn=${f.cn}`, "cn=%zz"))?.cn).toBe("%zz");
    expect(p(good.replace(`ts=${f.ts}`, "ts=a12"))).toBeUndefined();
  });

  it("§1.8: parameters other than the five are ignored, even repeated", () => {
    const f = signUdpConnectionRequest("cpe", "pw", NOW);
    const good = udpConnectionRequestText(target, f);
    const withExtra = good.replace(`&cn=${f.cn}`, `&cn=${f.cn}&x=1&x=2&=3`);
    expect(parseUdpConnectionRequest(new Uint8Array(Buffer.from(withExtra)))).toEqual(parsed(f));
  });

  it("§1.8: a sig of another length is a bad signature (not an exception)", () => {
    const m = parsed(signUdpConnectionRequest("cpe", "pw", NOW));
    expect(
      checkUdpConnectionRequest({ ...m, sig: "abc" }, creds, initialUdpReplayState, NOW)[0],
    ).toBe("badSignature");
  });

  it("§1.8: a ts exactly the skew (300 s) away either side is accepted; the first accepted message starts the remembered ids", () => {
    for (const ts of [NOW - 300, NOW + 300]) {
      const f = signUdpConnectionRequest("cpe", "pw", ts);
      const [verdict, state] = checkUdpConnectionRequest(
        parsed(f),
        creds,
        initialUdpReplayState,
        NOW,
      );
      expect(verdict).toBe("accepted");
      expect(state).toEqual({ newestTs: ts, recentIds: [f.id] });
    }
    expect(initialUdpReplayState).toEqual({ newestTs: undefined, recentIds: [] });
  });

  const field = fc.constantFrom("ts", "id", "un", "cn", "sig");
  const mutate = (
    m: UdpConnectionRequestMessage,
    key: keyof UdpConnectionRequestMessage,
    seed: number,
  ) => {
    const v = m[key];
    const alphabet =
      key === "sig"
        ? "0123456789abcdef"
        : key === "ts" || key === "id"
          ? "0123456789"
          : "abcxyz019";
    const pos = seed % (v.length + 1);
    const c = alphabet[seed % alphabet.length] as string;
    // Replace one character by a different one, or append one.
    const changed =
      pos < v.length
        ? v.slice(0, pos) +
          (v[pos] === c ? (alphabet[(seed + 1) % alphabet.length] as string) : c) +
          v.slice(pos + 1)
        : v + c;
    return { ...m, [key]: changed };
  };

  test.prop([
    fc.string({ minLength: 1, maxLength: 20 }),
    fc.string({ maxLength: 20 }),
    fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    fc.stringMatching(/^[0-9a-f]{1,16}$/),
    field,
    fc.nat(),
  ])(
    "§1.8: any change to one of ts, id, un, cn or sig of a valid message gets it dropped",
    (username, password, id, cn, key, seed) => {
      const ts = String(NOW);
      const m: UdpConnectionRequestMessage = {
        ts,
        id: String(id),
        un: username,
        cn,
        sig: udpConnectionRequestSignature(password, { ts, id: String(id), un: username, cn }),
      };
      const c = { username, password };
      expect(checkUdpConnectionRequest(m, c, initialUdpReplayState, NOW)[0]).toBe("accepted");
      const changed = mutate(m, key, seed);
      // Case of hex digits is not a change of the signature's value.
      fc.pre(changed[key].toLowerCase() !== m[key].toLowerCase());
      expect(checkUdpConnectionRequest(changed, c, initialUdpReplayState, NOW)[0]).not.toBe(
        "accepted",
      );
    },
  );

  test.prop([
    fc.array(fc.record({ dt: fc.integer({ min: -5, max: 5 }), reuse: fc.boolean() }), {
      maxLength: 40,
    }),
  ])("§1.8: an id is accepted at most once, and accepted ts never go backwards", (steps) => {
    let state = initialUdpReplayState;
    const acceptedIds: string[] = [];
    let lastTs = -Infinity;
    let n = 0;
    for (const s of steps) {
      const id = s.reuse && acceptedIds.length > 0 ? (acceptedIds[0] as string) : String(++n);
      const ts = String(NOW + s.dt);
      const m = {
        ts,
        id,
        un: "cpe",
        cn: "c",
        sig: udpConnectionRequestSignature("pw", { ts, id, un: "cpe", cn: "c" }),
      };
      const [v, next] = checkUdpConnectionRequest(m, creds, state, NOW);
      state = next;
      if (v === "accepted") {
        expect(acceptedIds).not.toContain(id);
        expect(Number(ts)).toBeGreaterThanOrEqual(lastTs);
        acceptedIds.push(id);
        lastTs = Number(ts);
      }
    }
  });
});
