/**
 * Loopback figures for the HTTP transport: POST throughput of ACS sessions (with Digest and a
 * session cookie), memory held per open session, and Digest verification rate of the
 * Connection Request server. Prints figures; asserts nothing.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { Deferred, Effect } from "effect";
import * as AcsClient from "../src/acs-client.js";
import { DigestClient, pickDigestChallenge } from "../src/digest-auth.js";
import { DigestVerifier } from "../src/digest-verifier.js";
import { parseAuthHeader } from "../src/internal/auth-params.js";

const creds = { username: "cpe", password: "pw" };
const verifier = new DigestVerifier({ realm: "acs", algorithms: ["MD5"] });
const reply = `<soap:Envelope>${"x".repeat(2000)}</soap:Envelope>`;

const server = http.createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    const v = verifier.verify(
      { method: req.method ?? "", target: req.url ?? "", authorization: req.headers.authorization },
      creds,
      Date.now(),
    );
    if (!v.ok) {
      res.writeHead(401, { "www-authenticate": verifier.challenges(Date.now()) });
      return res.end();
    }
    res.writeHead(200, { "set-cookie": "session=abcdef; Path=/", "content-type": "text/xml" });
    res.end(reply);
  });
});
await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/acs`;
const transport = AcsClient.make({ requestTimeout: "60 seconds" });

const oneSession = (posts: number) =>
  Effect.scoped(
    Effect.gen(function* () {
      const c = yield* transport.open({ url, ...creds });
      for (let i = 0; i < posts; i++) yield* c.post("<cwmp:Inform/>");
      yield* c.post(null);
    }),
  );

const time = async (label: string, sessions: number, posts: number, concurrency: number) => {
  const t0 = performance.now();
  await Effect.runPromise(
    Effect.forEach(Array.from({ length: sessions }), () => oneSession(posts), { concurrency }),
  );
  const ms = performance.now() - t0;
  const requests = sessions * (posts + 2); // + the 401 round trip, + the empty POST
  console.log(
    `${label}: ${sessions} sessions x ${posts + 1} POSTs, concurrency ${concurrency}: ${ms.toFixed(0)} ms, ${((sessions * 1000) / ms).toFixed(0)} sessions/s, ${((requests * 1000) / ms).toFixed(0)} HTTP requests/s`,
  );
};

await time("warm-up", 50, 3, 10);
await time("sequential", 200, 5, 1);
await time("concurrent", 1000, 5, 100);

// Memory held by open sessions (each with a live keep-alive connection and Digest state).
const open = 500;
globalThis.gc?.();
const before = process.memoryUsage().heapUsed;
const release = Effect.runSync(Deferred.make<void>());
const ready: Promise<void>[] = [];
const fibers = Array.from({ length: open }, () => {
  let signal!: () => void;
  ready.push(new Promise<void>((r) => (signal = r)));
  return Effect.runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        const c = yield* transport.open({ url, ...creds });
        yield* c.post("<cwmp:Inform/>");
        signal();
        yield* Deferred.await(release);
      }),
    ),
  );
});
await Promise.all(ready);
globalThis.gc?.();
const during = process.memoryUsage().heapUsed;
console.log(
  `open sessions: ${open}, heap per open session ~${((during - before) / open / 1024).toFixed(1)} KiB`,
);
Effect.runSync(Deferred.succeed(release, undefined));
await Promise.all(fibers);

// Digest verification rate (Connection Request server side).
const cr = new DigestVerifier({ realm: "cpekit", algorithms: ["MD5"] });
const client = new DigestClient(
  pickDigestChallenge(parseAuthHeader(cr.challenges(Date.now())))!,
  creds,
);
const n = 50_000;
const headers = Array.from({ length: n }, () => client.authorization("GET", "/cr"));
const t0 = performance.now();
for (const authorization of headers)
  cr.verify({ method: "GET", target: "/cr", authorization }, creds, Date.now());
const ms = performance.now() - t0;
console.log(`Digest verifications: ${n} in ${ms.toFixed(0)} ms, ${((n * 1000) / ms).toFixed(0)}/s`);

server.closeAllConnections();
server.close();
