/**
 * The script API, Promise flavour, for tests that do not use Effect: {@link startTestAcs}
 * returns a {@link TestAcsHandle} whose waits are Promises (rejected with a `TestAcsError`) and
 * whose `stop()` closes everything it started.
 * @module
 */
import type { CwmpMessage } from "@cpekit/core";
import { Effect, Either, Exit, Scope } from "effect";
import type { InformRecord, SessionRecord } from "./acs-session.js";
import type { CpeRequestRecord } from "./cwmp-endpoint.js";
import type { InjectedFault, InjectionTarget } from "./fault-injection.js";
import type { FileDelivery, UploadRecord } from "./file-shelf.js";
import type { HttpAuthOptions } from "./http-auth.js";
import type { QuirkProfile } from "./quirk-profile.js";
import { makeTestAcs, type TestAcsApi, type TestAcsOptions, type WaitOptions } from "./test-acs.js";
import type { TestAcsError } from "./testkit-error.js";
import type { Transcript } from "./transcript.js";
import type { UdpConnectionRequestMessage } from "./udp-connection-request.js";

/** A running test ACS driven with Promises (see {@link TestAcsApi} for each member). */
export interface TestAcsHandle {
  readonly url: string;
  readonly baseUrl: string;
  readonly profile: QuirkProfile;
  nextInform(options?: WaitOptions): Promise<InformRecord>;
  nextSession(options?: WaitOptions): Promise<SessionRecord>;
  nextCpeRequest(options?: WaitOptions & { readonly method?: string }): Promise<CpeRequestRecord>;
  call(
    deviceId: string | undefined,
    request: CwmpMessage,
    options?: { readonly timeoutMs?: number },
  ): Promise<CwmpMessage>;
  connectionRequest(
    url: string,
    username: string,
    password: string,
    options?: { readonly allowBasic?: boolean },
  ): Promise<number>;
  udpConnectionRequest(
    address: string,
    username: string,
    password: string,
    options?: { readonly times?: number },
  ): Promise<UdpConnectionRequestMessage>;
  serveFile(
    path: string,
    bytes: Uint8Array,
    auth?: HttpAuthOptions,
    delivery?: FileDelivery,
  ): Promise<string>;
  uploadUrl(name: string, auth?: HttpAuthOptions): string;
  uploads(): readonly UploadRecord[];
  nextUpload(options?: { readonly timeoutMs?: number }): Promise<UploadRecord>;
  inject(fault: InjectedFault, target?: InjectionTarget): void;
  clearInjections(): void;
  readonly transcript: Transcript;
  openSessions(): number;
  /** The Effect API of the same ACS. */
  readonly api: TestAcsApi;
  /** Stops the server, ends open sessions, fails pending calls ("Stopped"). Idempotent. */
  stop(): Promise<void>;
}

/** Runs an effect, rejecting with its typed error itself (not a wrapper). */
const toPromise = <A>(effect: Effect.Effect<A, TestAcsError>): Promise<A> =>
  Effect.runPromise(Effect.either(effect)).then((r) => {
    if (Either.isLeft(r)) throw r.left;
    return r.right;
  });

/** Starts a test ACS on 127.0.0.1 (port 0). Call `stop()` when done (e.g. in `afterEach`). */
export const startTestAcs = async (options: TestAcsOptions = {}): Promise<TestAcsHandle> => {
  const scope = Effect.runSync(Scope.make());
  const exit = await Effect.runPromiseExit(Scope.extend(makeTestAcs(options), scope));
  if (Exit.isFailure(exit)) {
    await Effect.runPromise(Scope.close(scope, exit));
    return toPromise(Effect.failCause(exit.cause));
  }
  const api = exit.value;
  let stopped: Promise<void> | undefined;
  return {
    url: api.url,
    baseUrl: api.baseUrl,
    profile: api.profile,
    nextInform: (o) => toPromise(api.nextInform(o)),
    nextSession: (o) => toPromise(api.nextSession(o)),
    nextCpeRequest: (o) => toPromise(api.nextCpeRequest(o)),
    call: (deviceId, request, o) => toPromise(api.call(deviceId, request, o)),
    connectionRequest: (url, username, password, o) =>
      toPromise(api.connectionRequest(url, username, password, o)),
    udpConnectionRequest: (address, username, password, o) =>
      toPromise(api.udpConnectionRequest(address, username, password, o)),
    serveFile: (path, bytes, auth, delivery) =>
      toPromise(api.serveFile(path, bytes, auth, delivery)),
    uploadUrl: (name, auth) => api.uploadUrl(name, auth),
    uploads: () => api.uploads(),
    nextUpload: (o) => toPromise(api.nextUpload(o)),
    inject: (fault, target) => api.inject(fault, target),
    clearInjections: () => api.clearInjections(),
    transcript: api.transcript,
    openSessions: () => api.openSessions(),
    api,
    stop: () => {
      stopped ??= Effect.runPromise(Scope.close(scope, Exit.void));
      return stopped;
    },
  };
};
