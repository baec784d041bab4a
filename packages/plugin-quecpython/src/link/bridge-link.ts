/**
 * The host side of the bridge protocol over any Node Duplex (a serialport, a TCP socket, the
 * simulated module's port, an in-memory pair).
 *
 * Requests carry ids and are answered in any order; each has its own time-out. Frames with id 0
 * are the bridge's own notices (events, the hello it sends when it starts). When the stream
 * closes, in-flight requests fail with a `Disconnected` {@link BridgeLinkError} and, with a
 * reconnect policy, the link reopens a stream through `open` with capped exponential backoff
 * (a module drops its USB port while it reboots or upgrades). Usable from plain async code;
 * `scopedBridgeLink` and the `*Effect` methods give the same operations as Effects.
 * @module
 */
import type { Duplex } from "node:stream";
import { Effect, type Scope } from "effect";
import { type ReconnectPolicy, reconnectDelay } from "./backoff.js";
import { BridgeLinkError } from "./bridge-link-error.js";
import { encodeFrame, FrameDecoder } from "./frame.js";
import {
  type ActionReply,
  asBridgeMessage,
  type BridgeEvent,
  type BridgeReply,
  type BridgeRequest,
  type BridgeScalar,
  type GetReply,
  type HelloReply,
  type JsonValue,
  type SetReply,
} from "./messages.js";

/** Where the link is. */
export type LinkState = "connected" | "reconnecting" | "closed";

/** Something the link reports on its own. */
export type LinkNotice =
  | { readonly kind: "event"; readonly event: BridgeEvent }
  | { readonly kind: "boot"; readonly hello: HelloReply }
  | { readonly kind: "state"; readonly state: LinkState }
  | { readonly kind: "noise"; readonly text: string };

/** Options of {@link BridgeLink.connect}. */
export interface BridgeLinkOptions {
  /** Opens a stream to the bridge; called at connect and at every reconnect attempt. */
  readonly open: () => Duplex | Promise<Duplex>;
  /** Reconnect after the stream closes; `false` (the default) closes the link instead. */
  readonly reconnect?: ReconnectPolicy | false;
  /** Default request time-out, in ms (default 5000). */
  readonly requestTimeoutMs?: number;
}

/** Per-request options. */
export interface LinkRequestOptions {
  /** Time-out of this request, in ms. */
  readonly timeoutMs?: number;
}

interface Pending {
  readonly resolve: (reply: BridgeReply) => void;
  readonly reject: (error: BridgeLinkError) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

const MAX_ID = 999_999;

/** A link to a bridge. */
export class BridgeLink {
  private stream: Duplex | undefined;
  private decoder = new FrameDecoder();
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(notice: LinkNotice) => void>();
  private nextId = 1;
  private current: LinkState = "connected";
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly waiters = new Set<() => void>();

  private constructor(private readonly options: BridgeLinkOptions) {}

  /** Opens the first stream; fails with `ConnectFailed` when `open` fails. */
  static async connect(options: BridgeLinkOptions): Promise<BridgeLink> {
    const link = new BridgeLink(options);
    await link.attach(await link.openStream());
    return link;
  }

  /** The link's state. */
  get state(): LinkState {
    return this.current;
  }

  /** Subscribes to notices (events, bridge boots, state changes, stray output); returns the unsubscribe function. */
  subscribe(listener: (notice: LinkNotice) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves when the link is connected, or fails after `timeoutMs` or when it closes. */
  whenConnected(timeoutMs = 10_000): Promise<void> {
    if (this.current === "connected") return Promise.resolve();
    if (this.current === "closed") return Promise.reject(this.closedError());
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        if (this.current === "connected") resolve();
        else reject(this.closedError());
      };
      const timer = setTimeout(() => {
        this.waiters.delete(done);
        reject(new BridgeLinkError({ reason: "Timeout", detail: "not reconnected in time" }));
      }, timeoutMs);
      this.waiters.add(done);
    });
  }

  /** Sends a request and waits for its reply; an `err` reply fails with reason `Remote`. */
  request(body: BridgeRequest, options: LinkRequestOptions = {}): Promise<BridgeReply> {
    const stream = this.stream;
    if (this.current === "closed") return Promise.reject(this.closedError());
    if (!stream || this.current !== "connected")
      return Promise.reject(
        new BridgeLinkError({ reason: "Disconnected", detail: "waiting for the module to return" }),
      );
    const id = this.allocateId();
    const timeoutMs = options.timeoutMs ?? this.options.requestTimeoutMs ?? 5000;
    return new Promise<BridgeReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(
          new BridgeLinkError({
            reason: "Timeout",
            detail: `no reply to ${body.t} within ${timeoutMs} ms`,
            requestId: id,
          }),
        );
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      stream.write(encodeFrame(id, body));
    }).then((reply) => {
      if (reply.t === "err")
        throw new BridgeLinkError({ reason: "Remote", detail: reply.e, requestId: id });
      if (reply.t !== body.t)
        throw new BridgeLinkError({
          reason: "Protocol",
          detail: `a ${reply.t} reply to a ${body.t} request`,
          requestId: id,
        });
      return reply;
    });
  }

  /** The bridge's version and capabilities. */
  hello(options?: LinkRequestOptions): Promise<HelloReply> {
    return this.request({ t: "hello" }, options) as Promise<HelloReply>;
  }

  /** Reads keys in one round trip: values (null = unknown) and per-key errors. */
  get(keys: readonly string[], options?: LinkRequestOptions): Promise<GetReply> {
    return this.request({ t: "get", k: keys }, options) as Promise<GetReply>;
  }

  /** Writes keys in one round trip; the reply lists the keys that were not written. */
  set(
    values: Readonly<Record<string, BridgeScalar>>,
    options?: LinkRequestOptions,
  ): Promise<SetReply> {
    return this.request({ t: "set", v: values }, options) as Promise<SetReply>;
  }

  /** Runs an action; fails with `Remote` when the action raised on the module. */
  async action(
    name: string,
    args: Readonly<Record<string, JsonValue>> = {},
    options?: LinkRequestOptions,
  ): Promise<JsonValue> {
    const reply = (await this.request({ t: "act", a: name, p: args }, options)) as ActionReply;
    return reply.r;
  }

  /** {@link BridgeLink.hello} as an Effect. */
  helloEffect(options?: LinkRequestOptions): Effect.Effect<HelloReply, BridgeLinkError> {
    return lift(() => this.hello(options));
  }

  /** {@link BridgeLink.get} as an Effect. */
  getEffect(
    keys: readonly string[],
    options?: LinkRequestOptions,
  ): Effect.Effect<GetReply, BridgeLinkError> {
    return lift(() => this.get(keys, options));
  }

  /** {@link BridgeLink.set} as an Effect. */
  setEffect(
    values: Readonly<Record<string, BridgeScalar>>,
    options?: LinkRequestOptions,
  ): Effect.Effect<SetReply, BridgeLinkError> {
    return lift(() => this.set(values, options));
  }

  /** {@link BridgeLink.action} as an Effect. */
  actionEffect(
    name: string,
    args?: Readonly<Record<string, JsonValue>>,
    options?: LinkRequestOptions,
  ): Effect.Effect<JsonValue, BridgeLinkError> {
    return lift(() => this.action(name, args, options));
  }

  /** Closes the link: pending requests fail with `Closed`, the stream is destroyed. */
  async close(): Promise<void> {
    if (this.current === "closed") return;
    this.setState("closed");
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.failPending("Closed", "link closed");
    const stream = this.stream;
    this.stream = undefined;
    stream?.destroy();
  }

  private closedError(): BridgeLinkError {
    return new BridgeLinkError({ reason: "Closed", detail: "link closed" });
  }

  private allocateId(): number {
    for (;;) {
      const id = this.nextId;
      this.nextId = id >= MAX_ID ? 1 : id + 1;
      if (!this.pending.has(id)) return id;
    }
  }

  private async openStream(): Promise<Duplex> {
    try {
      return await this.options.open();
    } catch (cause) {
      throw new BridgeLinkError({
        reason: "ConnectFailed",
        detail: cause instanceof Error ? cause.message : String(cause),
        cause,
      });
    }
  }

  private async attach(stream: Duplex): Promise<void> {
    if (this.current === "closed") {
      stream.destroy();
      return;
    }
    this.stream = stream;
    this.decoder = new FrameDecoder({
      onNoise: (bytes) => this.notify({ kind: "noise", text: Buffer.from(bytes).toString("utf8") }),
    });
    stream.on("data", (chunk: Buffer | string) => {
      const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      for (const frame of this.decoder.push(bytes)) this.onFrame(frame.id, frame.body);
    });
    let gone = false;
    const lost = () => {
      if (gone) return;
      gone = true;
      this.onStreamLost(stream);
    };
    stream.on("close", lost);
    stream.on("end", lost);
    // A vanished serial port reports an error before closing; the close handles it.
    stream.on("error", lost);
    this.setState("connected");
  }

  private onFrame(id: number, body: unknown): void {
    const message = asBridgeMessage(body);
    if (id === 0) {
      if (message?.t === "ev") this.notify({ kind: "event", event: message });
      else if (message?.t === "hello") this.notify({ kind: "boot", hello: message });
      return;
    }
    const waiting = this.pending.get(id);
    if (!waiting) return;
    this.pending.delete(id);
    clearTimeout(waiting.timer);
    if (!message || message.t === "ev")
      waiting.reject(
        new BridgeLinkError({ reason: "Protocol", detail: "malformed reply", requestId: id }),
      );
    else waiting.resolve(message);
  }

  private onStreamLost(stream: Duplex): void {
    if (this.stream !== stream) return;
    this.stream = undefined;
    stream.destroy();
    this.failPending("Disconnected", "stream closed before the reply (module reset?)");
    if (this.current === "closed") return;
    if (this.options.reconnect === false || this.options.reconnect === undefined) {
      void this.close();
      return;
    }
    this.setState("reconnecting");
    this.scheduleReconnect(this.options.reconnect, 0);
  }

  private scheduleReconnect(policy: ReconnectPolicy, attempt: number): void {
    const delay = reconnectDelay(policy, attempt);
    if (delay === undefined) {
      void this.close();
      return;
    }
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.current === "closed") return;
      this.openStream().then(
        (stream) => this.attach(stream),
        () => this.scheduleReconnect(policy, attempt + 1),
      );
    }, delay);
  }

  private failPending(reason: "Disconnected" | "Closed", detail: string): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new BridgeLinkError({ reason, detail, requestId: id }));
    }
    this.pending.clear();
  }

  private setState(state: LinkState): void {
    if (this.current === state) return;
    this.current = state;
    this.notify({ kind: "state", state });
    for (const w of [...this.waiters]) w();
  }

  private notify(notice: LinkNotice): void {
    for (const l of this.listeners) l(notice);
  }
}

const lift = <A>(run: () => Promise<A>): Effect.Effect<A, BridgeLinkError> =>
  Effect.tryPromise({
    try: run,
    catch: (cause) =>
      cause instanceof BridgeLinkError
        ? cause
        : new BridgeLinkError({ reason: "Protocol", detail: String(cause), cause }),
  });

/** A link that lives as long as the enclosing Scope (closed by its finalizer). */
export const scopedBridgeLink = (
  options: BridgeLinkOptions,
): Effect.Effect<BridgeLink, BridgeLinkError, Scope.Scope> =>
  Effect.acquireRelease(
    lift(() => BridgeLink.connect(options)),
    (link) => Effect.promise(() => link.close()),
  );
