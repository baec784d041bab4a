/**
 * The script API, Effect flavour: {@link makeTestAcs} starts an in-process ACS on 127.0.0.1
 * (port 0) for the life of a `Scope` and returns the {@link TestAcsApi} a test drives it with;
 * {@link TestAcs} and {@link layer} provide it as a service. The Promise flavour is
 * `startTestAcs` (`start-test-acs.ts`).
 * @module
 */
import type { AcsTransportService, CwmpMessage } from "@cpekit/core";
import { Context, Deferred, Duration, Effect, FiberSet, Layer, type Scope } from "effect";
import { Agent } from "undici";
import { listen } from "./acs-server.js";
import type { InformRecord, SessionRecord } from "./acs-session.js";
import { sendConnectionRequest } from "./connection-request.js";
import { type CpeRequestRecord, CwmpEndpoint } from "./cwmp-endpoint.js";
import { type InjectedFault, InjectionBook, type InjectionTarget } from "./fault-injection.js";
import { badFilePath, type FileDelivery, FileShelf, type UploadRecord } from "./file-shelf.js";
import { genieAcsProfile } from "./genieacs-profile.js";
import { type HttpAuthOptions, NonceBook } from "./http-auth.js";
import { makeInProcessTransport } from "./in-process-transport.js";
import { Inbox } from "./inbox.js";
import type { QuirkProfile } from "./quirk-profile.js";
import { RpcQueue } from "./rpc-queue.js";
import { strictProfile } from "./strict-profile.js";
import { TestAcsError } from "./testkit-error.js";
import { Transcript } from "./transcript.js";
import {
  parseUdpTarget,
  sendUdpConnectionRequest,
  type UdpConnectionRequestMessage,
  udpConnectionRequestText,
} from "./udp-connection-request.js";

/** How to start a test ACS. Every field is optional. */
export interface TestAcsOptions {
  /** `"strict"` (default), `"genieacs"`, or a profile object (e.g. `genieAcsProfile({...})`). */
  readonly profile?: "strict" | "genieacs" | QuirkProfile;
  /** The CWMP path; `/acs` by default. */
  readonly path?: string;
  /** Authenticate the CPE (401 challenges, then checks); none by default. */
  readonly auth?: HttpAuthOptions;
  /** Session timeout in ms, overriding the profile's (30 s for both built-in profiles). */
  readonly sessionTimeoutMs?: number;
  /** Open sessions beyond which a new Inform gets 503 + Retry-After (GenieACS "saturated"). */
  readonly maxConcurrentSessions?: number;
  /** Largest request body accepted (413 beyond), also after gzip/deflate decoding; 8 MiB by default. */
  readonly maxBodyBytes?: number;
  /**
   * Advertise HTTP compression (H8): CWMP answers carry `Accept-Encoding: gzip` and are gzipped
   * when the CPE takes gzip. Off by default (gzip requests are accepted either way).
   */
  readonly advertiseGzip?: boolean;
}

/** Options of the waits. */
export interface WaitOptions {
  /** Only this device (see `deviceKeyOf`). */
  readonly deviceId?: string;
  /** Fail with reason "Timeout" after this many ms; waits forever otherwise. */
  readonly timeoutMs?: number;
}

/** The script API of a running test ACS (Effect flavour). */
export interface TestAcsApi {
  /** The CWMP URL to give the CPE as `ManagementServer.URL`. */
  readonly url: string;
  /** `http://127.0.0.1:<port>`: the origin of files and uploads. */
  readonly baseUrl: string;
  readonly profile: QuirkProfile;
  /** The next Inform not yet taken (received earlier or later). */
  readonly nextInform: (options?: WaitOptions) => Effect.Effect<InformRecord, TestAcsError>;
  /** The next session to end (completed, timed out, superseded or stopped), not yet taken. */
  readonly nextSession: (options?: WaitOptions) => Effect.Effect<SessionRecord, TestAcsError>;
  /** The next CPE request after an Inform (TransferComplete, ...), optionally of one method. */
  readonly nextCpeRequest: (
    options?: WaitOptions & { readonly method?: string },
  ) => Effect.Effect<CpeRequestRecord, TestAcsError>;
  /**
   * Queues `request` for `deviceId` (any device when undefined) and waits for the CPE's answer:
   * the response message or its `Fault` (a fault is a result, not an error). Fails with
   * "SessionEnded" when the session ends before the answer; an unsent call is withdrawn when
   * the wait is interrupted or times out.
   */
  readonly call: (
    deviceId: string | undefined,
    request: CwmpMessage,
    options?: { readonly timeoutMs?: number },
  ) => Effect.Effect<CwmpMessage, TestAcsError>;
  /** Sends a connection request (Digest) to a loopback URL; yields the final HTTP status. */
  readonly connectionRequest: (
    url: string,
    username: string,
    password: string,
    options?: { readonly allowBasic?: boolean },
  ) => Effect.Effect<number, TestAcsError>;
  /**
   * Sends a signed UDP connection request (TR-069 Annex G) to a loopback `host:port` (the CPE's
   * UDPConnectionRequestAddress), `times` datagrams (default 3); yields the message sent. UDP
   * has no answer: the CPE's Inform shows whether it was taken.
   */
  readonly udpConnectionRequest: (
    address: string,
    username: string,
    password: string,
    options?: { readonly times?: number },
  ) => Effect.Effect<UdpConnectionRequestMessage, TestAcsError>;
  /**
   * Serves `bytes` at `path` (e.g. `/fw.bin`), optionally behind auth and delivered slowly or
   * broken off (`delivery`); yields its URL.
   */
  readonly serveFile: (
    path: string,
    bytes: Uint8Array,
    auth?: HttpAuthOptions,
    delivery?: FileDelivery,
  ) => Effect.Effect<string, TestAcsError>;
  /** A URL the CPE can Upload to (PUT or POST), optionally behind auth. */
  readonly uploadUrl: (name: string, auth?: HttpAuthOptions) => string;
  /** Every upload received so far. */
  readonly uploads: () => readonly UploadRecord[];
  /** The next upload not yet taken. */
  readonly nextUpload: (options?: {
    readonly timeoutMs?: number;
  }) => Effect.Effect<UploadRecord, TestAcsError>;
  /** Books a fault (see `fault-injection.ts`). */
  readonly inject: (fault: InjectedFault, target?: InjectionTarget) => void;
  /** Drops every booked fault not yet used. */
  readonly clearInjections: () => void;
  /** Every exchange so far; `toJson()` / `toText()` export it. */
  readonly transcript: Transcript;
  /** Sessions open now. */
  readonly openSessions: () => number;
  /**
   * An `AcsTransport` to this ACS without sockets (for fleets on virtual time): the same
   * sessions, inboxes and injected faults, but no transcript entries and no CPE authentication.
   */
  readonly inProcessTransport: AcsTransportService;
}

/** The test ACS as an Effect service. */
export class TestAcs extends Context.Tag("@cpekit/acs-testkit/TestAcs")<TestAcs, TestAcsApi>() {}

const resolveProfile = (p: TestAcsOptions["profile"]): QuirkProfile =>
  p === undefined || p === "strict" ? strictProfile() : p === "genieacs" ? genieAcsProfile() : p;

const withTimeout = <A>(
  effect: Effect.Effect<A, TestAcsError>,
  timeoutMs: number | undefined,
  what: string,
): Effect.Effect<A, TestAcsError> =>
  timeoutMs === undefined
    ? effect
    : effect.pipe(
        Effect.timeoutFail({
          duration: Duration.millis(timeoutMs),
          onTimeout: () =>
            new TestAcsError({ reason: "Timeout", detail: `${what} after ${timeoutMs} ms` }),
        }),
      );

/** Starts a test ACS for the life of the current scope. */
export const makeTestAcs = (
  options: TestAcsOptions = {},
): Effect.Effect<TestAcsApi, TestAcsError, Scope.Scope> =>
  Effect.gen(function* () {
    const acsPath = options.path ?? "/acs";
    if (!acsPath.startsWith("/"))
      return yield* new TestAcsError({
        reason: "BadInput",
        detail: `path must start with "/": ${acsPath}`,
      });
    const profile = resolveProfile(options.profile);
    const nonces = new NonceBook();
    const queue = new RpcQueue();
    const book = new InjectionBook();
    const informs = new Inbox<InformRecord>();
    const sessions = new Inbox<SessionRecord>();
    const cpeRequests = new Inbox<CpeRequestRecord>();
    const uploadsInbox = new Inbox<UploadRecord>();
    const transcript = new Transcript();
    const files = new FileShelf(nonces, uploadsInbox);
    const run = yield* FiberSet.makeRuntime<never, void, never>();
    // Script waits run outside the ACS's scope (a test's own promises): they race this, which
    // fails when the ACS stops, so no wait outlives the ACS.
    const stopped = yield* Deferred.make<never, TestAcsError>();
    yield* Effect.addFinalizer(() =>
      Deferred.fail(stopped, new TestAcsError({ reason: "Stopped", detail: "the ACS stopped" })),
    );
    const wait = <A>(
      effect: Effect.Effect<A, TestAcsError>,
      timeoutMs: number | undefined,
      what: string,
    ) => Effect.raceFirst(withTimeout(effect, timeoutMs, what), Deferred.await(stopped));
    const endpoint = new CwmpEndpoint({
      profile,
      auth: options.auth,
      nonces,
      sessionTimeoutMs: options.sessionTimeoutMs,
      maxConcurrentSessions: options.maxConcurrentSessions,
      queue,
      book,
      informs,
      sessions,
      cpeRequests,
      fork: (e) => run(e),
    });
    // Finalizers run in reverse order: the server closes (every socket destroyed), then open
    // sessions end ("stopped": records pushed, sent calls failed), then unsent calls fail, then
    // script waits fail with "Stopped", and last the request handlers and timers are interrupted.
    yield* Effect.addFinalizer(() => Effect.zipRight(endpoint.stop(), queue.failAll()));
    const { baseUrl } = yield* listen({
      endpoint,
      files,
      transcript,
      acsPath,
      maxBodyBytes: options.maxBodyBytes ?? 8 * 1024 * 1024,
      ...(options.advertiseGzip === true ? { advertiseGzip: true } : {}),
      run: (e) => run(e),
    });
    const agent = yield* Effect.acquireRelease(
      Effect.sync(() => new Agent({ connections: 4 })),
      (a) => Effect.promise(() => a.destroy()),
    );
    let inProcessConnections = 0;
    const inProcessTransport = makeInProcessTransport(endpoint, () => --inProcessConnections);
    const byDevice = (deviceId: string | undefined) => (r: { readonly deviceId: string }) =>
      deviceId === undefined || r.deviceId === deviceId;

    const call: TestAcsApi["call"] = (deviceId, request, callOptions) =>
      Effect.acquireUseRelease(
        queue.enqueue(deviceId, request),
        (pending) =>
          wait(
            Deferred.await(pending.result),
            callOptions?.timeoutMs,
            `${request._tag} unanswered`,
          ),
        (pending) => Effect.sync(() => queue.withdraw(pending)),
      );

    return {
      url: `${baseUrl}${acsPath}`,
      baseUrl,
      profile,
      nextInform: (o) => wait(informs.take(byDevice(o?.deviceId)), o?.timeoutMs, "no Inform"),
      nextSession: (o) =>
        wait(sessions.take(byDevice(o?.deviceId)), o?.timeoutMs, "no session ended"),
      nextCpeRequest: (o) =>
        wait(
          cpeRequests.take(
            (r) =>
              byDevice(o?.deviceId)(r) && (o?.method === undefined || r.message._tag === o.method),
          ),
          o?.timeoutMs,
          "no CPE request",
        ),
      call,
      connectionRequest: (url, username, password, o) =>
        Effect.gen(function* () {
          const startedAt = new Date().toISOString();
          const result = yield* sendConnectionRequest({
            url,
            username,
            password,
            dispatcher: agent,
            ...(o?.allowBasic === undefined ? {} : { allowBasic: o.allowBasic }),
          });
          transcript.add({
            kind: "connectionRequest",
            startedAt,
            durationMs: result.durationMs,
            connection: 0,
            method: "GET",
            url,
            request: {
              headers: result.authorization ? { authorization: result.authorization } : {},
              body: "",
            },
            response: { status: result.status, headers: {}, body: "" },
            injected: [],
            notes: result.challenged ? ["challenged (401), answered"] : [],
          });
          return result.status;
        }),
      udpConnectionRequest: (address, username, password, o) =>
        Effect.gen(function* () {
          const target = parseUdpTarget(address);
          if (target === undefined)
            return yield* new TestAcsError({
              reason: "BadInput",
              detail: `not a UDP connection-request address (host:port): ${address}`,
            });
          const startedAt = new Date().toISOString();
          const times = o?.times ?? 3;
          const message = yield* sendUdpConnectionRequest(target, username, password, { times });
          transcript.add({
            kind: "connectionRequest",
            startedAt,
            durationMs: 0,
            connection: 0,
            method: "UDP",
            url: `udp://${address}`,
            request: { headers: {}, body: udpConnectionRequestText(target, message) },
            response: { status: "none", headers: {}, body: "" },
            injected: [],
            notes: [`${times} datagram${times === 1 ? "" : "s"}, id ${message.id}`],
          });
          return message;
        }),
      serveFile: (path, bytes, auth, delivery) =>
        Effect.suspend(() => {
          const bad = badFilePath(path);
          if (bad) return Effect.fail(bad);
          files.serve(path, bytes, auth, delivery);
          return Effect.succeed(`${baseUrl}${path}`);
        }),
      uploadUrl: (name, auth) => `${baseUrl}${files.acceptUpload(name, auth)}`,
      uploads: () => files.uploads(),
      nextUpload: (o) => wait(uploadsInbox.take(), o?.timeoutMs, "no upload"),
      inject: (fault, target) => book.book(fault, target),
      clearInjections: () => book.clear(),
      transcript,
      openSessions: () => endpoint.openSessions,
      inProcessTransport,
    } satisfies TestAcsApi;
  });

/** A layer providing {@link TestAcs}, started with `options` and stopped with the layer. */
export const layer = (options: TestAcsOptions = {}): Layer.Layer<TestAcs, TestAcsError> =>
  Layer.scoped(TestAcs, makeTestAcs(options));
