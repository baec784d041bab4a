import type { Duplex } from "node:stream";
import { Effect, Exit } from "effect";
import { afterEach, describe, expect, it } from "vitest";
import { reconnectDelay } from "./backoff.js";
import { BridgeLink, type LinkNotice, scopedBridgeLink } from "./bridge-link.js";
import { isBridgeLinkError } from "./bridge-link-error.js";
import { encodeFrame, type Frame, FrameDecoder } from "./frame.js";
import { memoryDuplexPair } from "./test-support/memory-duplex-pair.js";

/** A scripted bridge on the far end of an in-memory pair. */
const fakeBridge = (end: Duplex, answer: (f: Frame, send: (bytes: Uint8Array) => void) => void) => {
  const dec = new FrameDecoder();
  end.on("data", (d: Buffer) => {
    for (const f of dec.push(d)) answer(f, (b) => end.write(b));
  });
};

const getReply = (f: Frame) => {
  const keys = (f.body as { k: string[] }).k;
  return encodeFrame(f.id, {
    t: "get",
    v: Object.fromEntries(keys.map((k) => [k, `${k}!`])),
    e: {},
  });
};

const links: BridgeLink[] = [];
const track = (l: BridgeLink) => {
  links.push(l);
  return l;
};
afterEach(async () => {
  for (const l of links.splice(0)) await l.close();
});

const failure = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    if (isBridgeLinkError(e)) return e;
    throw e;
  }
  throw new Error("expected a BridgeLinkError");
};

describe("BridgeLink", () => {
  it("correlates concurrent requests answered out of order by id", async () => {
    const [host, module] = memoryDuplexPair();
    const held: Frame[] = [];
    fakeBridge(module, (f, send) => {
      held.push(f);
      if (held.length === 3) for (const h of held.reverse()) send(getReply(h));
    });
    const link = track(await BridgeLink.connect({ open: () => host }));
    const replies = await Promise.all([link.get(["a"]), link.get(["b"]), link.get(["c"])]);
    expect(replies.map((r) => r.v)).toEqual([{ a: "a!" }, { b: "b!" }, { c: "c!" }]);
  });

  it("skips stray output and reassembles replies split byte by byte or merged with events", async () => {
    const [host, module] = memoryDuplexPair();
    fakeBridge(module, (f, send) => {
      const reply = getReply(f);
      send(new TextEncoder().encode("[app] hello from print\r\n"));
      for (const b of reply.subarray(0, 10)) send(Uint8Array.of(b));
      const event = encodeFrame(0, { t: "ev", n: "data", p: [1, 0] });
      send(Buffer.concat([reply.subarray(10), Buffer.from("noise"), event]));
    });
    const link = track(await BridgeLink.connect({ open: () => host }));
    const notices: LinkNotice[] = [];
    link.subscribe((n) => notices.push(n));
    expect((await link.get(["x"])).v).toEqual({ x: "x!" });
    await new Promise((r) => setTimeout(r, 5));
    expect(notices).toContainEqual({ kind: "event", event: { t: "ev", n: "data", p: [1, 0] } });
    expect(notices.some((n) => n.kind === "noise" && n.text.includes("hello from print"))).toBe(
      true,
    );
  });

  it("fails a request after its time-out with a typed Timeout error and ignores the late reply", async () => {
    const [host, module] = memoryDuplexPair();
    const late: Frame[] = [];
    fakeBridge(module, (f, send) => {
      if ((f.body as { k: string[] }).k[0] === "slow") late.push(f);
      else {
        for (const l of late.splice(0)) send(getReply(l));
        send(getReply(f));
      }
    });
    const link = track(await BridgeLink.connect({ open: () => host, requestTimeoutMs: 30 }));
    const err = await failure(link.get(["slow"]));
    expect(err.reason).toBe("Timeout");
    expect(err.requestId).toBeTypeOf("number");
    expect((await link.get(["fast"])).v).toEqual({ fast: "fast!" });
  });

  it("turns an err reply into a Remote error", async () => {
    const [host, module] = memoryDuplexPair();
    fakeBridge(module, (f, send) => send(encodeFrame(f.id, { t: "err", e: "unknown action" })));
    const link = track(await BridgeLink.connect({ open: () => host }));
    const err = await failure(link.action("nope"));
    expect(err.reason).toBe("Remote");
    expect(err.message).toContain("unknown action");
  });

  it("fails in-flight requests with Disconnected when the module resets, then reconnects and recovers", async () => {
    let opened = 0;
    const open = () => {
      opened++;
      const [host, module] = memoryDuplexPair();
      fakeBridge(module, (f, send) => {
        // The first module dies on its first request, mid-request.
        if (opened === 1) module.destroy();
        else send(getReply(f));
      });
      return host;
    };
    const link = track(
      await BridgeLink.connect({ open, reconnect: { initialDelayMs: 5, maxDelayMs: 20 } }),
    );
    const states: string[] = [];
    link.subscribe((n) => n.kind === "state" && states.push(n.state));
    const err = await failure(link.get(["a"]));
    expect(err.reason).toBe("Disconnected");
    expect((await failure(link.get(["a"]))).reason).toBe("Disconnected");
    await link.whenConnected(1000);
    expect((await link.get(["b"])).v).toEqual({ b: "b!" });
    expect(states).toEqual(["reconnecting", "connected"]);
    expect(opened).toBe(2);
  });

  it("retries a failing open with capped backoff and closes after maxAttempts", async () => {
    let calls = 0;
    const [host] = memoryDuplexPair();
    const link = track(
      await BridgeLink.connect({
        open: () => {
          calls++;
          if (calls === 1) return host;
          throw new Error("port absent");
        },
        reconnect: { initialDelayMs: 1, maxDelayMs: 4, maxAttempts: 4 },
      }),
    );
    const closed = new Promise<void>((r) =>
      link.subscribe((n) => n.kind === "state" && n.state === "closed" && r()),
    );
    host.destroy();
    await closed;
    expect(calls).toBe(1 + 4);
    expect((await failure(link.get(["x"]))).reason).toBe("Closed");
    expect(
      [0, 1, 2, 3, 4, 10].map((a) =>
        reconnectDelay({ initialDelayMs: 1, maxDelayMs: 4, maxAttempts: 5 }, a),
      ),
    ).toEqual([1, 2, 4, 4, 4, undefined]);
  });

  it("reports a failed first open as ConnectFailed", async () => {
    const err = await failure(
      BridgeLink.connect({
        open: () => {
          throw new Error("ENOENT /dev/ttyUSB5");
        },
      }),
    );
    expect(err.reason).toBe("ConnectFailed");
    expect(err.message).toContain("ENOENT");
  });

  it("as an Effect: typed failures, and the scoped link is closed with its scope", async () => {
    const [host, module] = memoryDuplexPair();
    fakeBridge(module, (f, send) => send(encodeFrame(f.id, { t: "err", e: "boom" })));
    let kept: BridgeLink | undefined;
    const exit = await Effect.runPromiseExit(
      Effect.scoped(
        Effect.gen(function* () {
          const link = yield* scopedBridgeLink({ open: () => host });
          kept = link;
          return yield* link.getEffect(["a"]).pipe(Effect.flip);
        }),
      ),
    );
    expect(Exit.isSuccess(exit) && exit.value.reason).toBe("Remote");
    expect(kept?.state).toBe("closed");
    expect(host.destroyed).toBe(true);
  });
});
