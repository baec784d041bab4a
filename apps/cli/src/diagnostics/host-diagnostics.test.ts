import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { DiagnosticsError } from "@cpekit/core";
import { Effect, Either } from "effect";
import { afterEach, describe, expect, it } from "vitest";
import { hostDiagnostics } from "./host-diagnostics.js";

const common = { interface: "", protocolVersion: "Any", dscp: 0 } as const;
const transfer = {
  ...common,
  ethernetPriority: 0,
  numberOfConnections: 1,
  timeBasedTestDurationS: 0,
};
const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** An HTTP server on 127.0.0.1 answering with `handler`; its port. */
const serve = (handler: Parameters<typeof createServer>[1]): Promise<number> =>
  new Promise((resolve) => {
    const server = createServer(handler);
    servers.push(server);
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });

/** A loopback port nobody listens on (bound, then closed). */
const closedPort = async (): Promise<number> => {
  const port = await serve(() => {});
  const server = servers.pop() as Server;
  await new Promise((r) => server.close(r));
  return port;
};

const errorState = <A>(effect: Effect.Effect<A, DiagnosticsError>) =>
  Effect.runPromise(Effect.either(effect)).then((r) =>
    Either.isLeft(r) ? r.left.state : "succeeded",
  );

const signal = () => new AbortController().signal;
const service = hostDiagnostics({ transferTimeoutMs: 10_000 });

describe("host diagnostics (generic device)", () => {
  it("§1.12-Diagnostics IPPing of 127.0.0.1 answers every repetition (TCP handshake probe: refused is an answer)", async () => {
    const port = await closedPort();
    const r = await Effect.runPromise(
      hostDiagnostics({ pingProbePort: port }).ipPing(
        {
          ...common,
          host: "127.0.0.1",
          numberOfRepetitions: 3,
          timeoutMs: 2000,
          dataBlockSize: 56,
        },
        signal(),
      ),
    );
    expect(r.successCount).toBe(3);
    expect(r.failureCount).toBe(0);
    expect(r.ipAddressUsed).toBe("127.0.0.1");
    expect(r.minimumResponseTimeUs).toBeLessThanOrEqual(r.averageResponseTimeUs);
    expect(r.averageResponseTimeUs).toBeLessThanOrEqual(r.maximumResponseTimeUs);
  });

  it("§1.12-Diagnostics IPPing to a listening port counts the SYN-ACK as the answer", async () => {
    const port = await serve((_q, s) => s.end());
    const r = await Effect.runPromise(
      hostDiagnostics({ pingProbePort: port }).ipPing(
        {
          ...common,
          host: "localhost",
          protocolVersion: "IPv4",
          numberOfRepetitions: 2,
          timeoutMs: 2000,
          dataBlockSize: 56,
        },
        signal(),
      ),
    );
    expect([r.successCount, r.failureCount]).toEqual([2, 0]);
  });

  it("§1.12-Diagnostics an unresolvable host is Error_CannotResolveHostName for IPPing, TraceRoute and Download", async () => {
    const host = "nowhere.invalid";
    expect(
      await errorState(
        service.ipPing(
          { ...common, host, numberOfRepetitions: 1, timeoutMs: 100, dataBlockSize: 56 },
          signal(),
        ),
      ),
    ).toBe("Error_CannotResolveHostName");
    expect(
      await errorState(
        service.traceRoute(
          { ...common, host, numberOfTries: 1, timeoutMs: 100, dataBlockSize: 38, maxHopCount: 2 },
          signal(),
        ),
      ),
    ).toBe("Error_CannotResolveHostName");
    expect(
      await errorState(
        service.downloadDiagnostics({ ...transfer, url: `http://${host}/f` }, signal()),
      ),
    ).toBe("Error_CannotResolveHostName");
    // An IPv6 literal asked for as IPv4 does not resolve either.
    expect(
      await errorState(
        service.ipPing(
          {
            ...common,
            protocolVersion: "IPv4",
            host: "::1",
            numberOfRepetitions: 1,
            timeoutMs: 100,
            dataBlockSize: 56,
          },
          signal(),
        ),
      ),
    ).toBe("Error_CannotResolveHostName");
  });

  it("§1.12-Diagnostics TraceRoute of 127.0.0.1 reaches it at the first hop (port unreachable, ICMP code 3)", async () => {
    const r = await Effect.runPromise(
      service.traceRoute(
        {
          ...common,
          host: "127.0.0.1",
          numberOfTries: 2,
          timeoutMs: 2000,
          dataBlockSize: 38,
          maxHopCount: 5,
        },
        signal(),
      ),
    );
    expect(r.hops).toHaveLength(1);
    expect(r.hops[0]).toMatchObject({ host: "127.0.0.1", hostAddress: "127.0.0.1", errorCode: 3 });
    expect(r.hops[0]?.rtTimesMs).toHaveLength(2);
    expect(r.ipAddressUsed).toBe("127.0.0.1");
  });

  it("§1.12-Diagnostics DownloadDiagnostics counts the file's bytes and orders the TR-143 times", async () => {
    const body = Buffer.alloc(200_000, 7);
    const port = await serve((_q, s) => s.end(body));
    const r = await Effect.runPromise(
      service.downloadDiagnostics(
        { ...transfer, url: `http://127.0.0.1:${port}/file.bin` },
        signal(),
      ),
    );
    expect(r.testBytesReceived).toBe(200_000);
    expect(r.totalBytesReceived).toBeGreaterThan(200_000);
    expect(r.totalBytesSent).toBeGreaterThan(0);
    expect(r.ipAddressUsed).toBe("127.0.0.1");
    const times = [r.tcpOpenRequestTime, r.tcpOpenResponseTime, r.romTime, r.bomTime, r.eomTime];
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it("§1.12-Diagnostics Download errors: HTTP 404 is Error_TransferFailed, a refused connection Error_InitConnectionFailed, ftp:// Error_Other", async () => {
    const port = await serve((_q, s) => {
      s.statusCode = 404;
      s.end();
    });
    expect(
      await errorState(
        service.downloadDiagnostics({ ...transfer, url: `http://127.0.0.1:${port}/x` }, signal()),
      ),
    ).toBe("Error_TransferFailed");
    const closed = await closedPort();
    expect(
      await errorState(
        service.downloadDiagnostics({ ...transfer, url: `http://127.0.0.1:${closed}/x` }, signal()),
      ),
    ).toBe("Error_InitConnectionFailed");
    expect(
      await errorState(
        service.downloadDiagnostics({ ...transfer, url: "ftp://127.0.0.1/x" }, signal()),
      ),
    ).toBe("Error_Other");
  });

  it("§1.12-Diagnostics a download whose body breaks off is Error_TransferFailed", async () => {
    const port = await serve((_q, s) => {
      s.writeHead(200, { "content-length": "100000" });
      s.write(Buffer.alloc(10), () => s.socket?.destroy());
    });
    expect(
      await errorState(
        service.downloadDiagnostics({ ...transfer, url: `http://127.0.0.1:${port}/cut` }, signal()),
      ),
    ).toBe("Error_TransferFailed");
  });

  it("§1.12-Diagnostics UploadDiagnostics PUTs TestFileLength bytes; a refusing server is Error_NoTransferComplete", async () => {
    let received = 0;
    const port = await serve((q, s) => {
      q.on("data", (c: Buffer) => {
        received += c.length;
      });
      q.on("end", () => s.end());
    });
    const r = await Effect.runPromise(
      service.uploadDiagnostics(
        { ...transfer, url: `http://127.0.0.1:${port}/upload/u`, testFileLength: 150_000 },
        signal(),
      ),
    );
    expect(received).toBe(150_000);
    expect(r.testBytesSent).toBe(150_000);
    expect(r.totalBytesSent).toBeGreaterThan(150_000);
    const times = [r.tcpOpenRequestTime, r.tcpOpenResponseTime, r.romTime, r.bomTime, r.eomTime];
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const refusing = await serve((q, s) => {
      q.resume();
      s.statusCode = 500;
      s.end();
    });
    expect(
      await errorState(
        service.uploadDiagnostics(
          { ...transfer, url: `http://127.0.0.1:${refusing}/upload/u`, testFileLength: 10 },
          signal(),
        ),
      ),
    ).toBe("Error_NoTransferComplete");
  });

  it("§1.12-Diagnostics an aborted signal ends a download that gets no answer", async () => {
    const port = await serve(() => {
      // Never answers.
    });
    const controller = new AbortController();
    const running = Effect.runPromise(
      Effect.either(
        service.downloadDiagnostics(
          { ...transfer, url: `http://127.0.0.1:${port}/slow` },
          controller.signal,
        ),
      ),
    );
    setTimeout(() => controller.abort(), 50);
    const r = await running;
    expect(Either.isLeft(r)).toBe(true);
  });
});
