import { Either } from "effect";
import { describe, expect, it } from "vitest";
import { resolveRequestOptions } from "./request-options.js";

/** The object as Quectel's sample main.py wrote it (Node url.parse output + Quectel keys). */
const legacy = {
  protocol: "http:",
  host: "acs.example.test:9090",
  port: "9090",
  hostname: "acs.example.test",
  server_ip: "0.0.0.0",
  server_port: 8001,
  pathname: "/ACS-server/ACS/pawn06",
  path: "/ACS-server/ACS/pawn06",
  href: "http://acs.example.test:9090/ACS-server/ACS/pawn06",
  url: "http://acs.example.test:9090/ACS-server/ACS/pawn06",
};

describe("legacy requestOptions", () => {
  it("accepts Quectel's object as it is and takes url, server_ip and server_port", () => {
    const resolved = resolveRequestOptions({ ...legacy, username: "cpe", password: "secret" });
    expect(Either.getOrThrow(resolved)).toEqual({
      acs: { url: legacy.url, username: "cpe", password: "secret" },
      connectionRequest: { bindAddress: "0.0.0.0", port: 8001 },
    });
  });

  it("defaults the listener to 0.0.0.0:8001 like the original client", () => {
    const resolved = Either.getOrThrow(resolveRequestOptions({ url: "https://acs.example.test/" }));
    expect(resolved.connectionRequest).toEqual({ bindAddress: "0.0.0.0", port: 8001 });
  });

  it("accepts server_port as a string and a numeric port", () => {
    const resolved = resolveRequestOptions({ ...legacy, port: 9090, server_port: "7547" });
    expect(Either.getOrThrow(resolved).connectionRequest.port).toBe(7547);
  });

  it("names each key that disagrees with url and what was expected", () => {
    const resolved = resolveRequestOptions({
      ...legacy,
      hostname: "other.example.test",
      port: "80",
      path: "/wrong",
    });
    expect(Either.isLeft(resolved)).toBe(true);
    const problems = Either.isLeft(resolved) ? resolved.left.problems : [];
    expect(problems).toHaveLength(3);
    expect(problems.join("\n")).toMatch(
      /requestOptions\.hostname: "other\.example\.test".*expected "acs\.example\.test"/,
    );
    expect(problems.join("\n")).toMatch(/requestOptions\.port: "80".*expected "9090"/);
    expect(problems.join("\n")).toMatch(/requestOptions\.path: "\/wrong"/);
  });

  it("refuses a missing or non-http url and a wrongly typed key, naming the field", () => {
    const missing = resolveRequestOptions({ host: "a:1" });
    expect(Either.isLeft(missing) && missing.left.message).toMatch(/requestOptions\.url/);
    const ftp = resolveRequestOptions({ url: "ftp://acs.example.test/" });
    expect(Either.isLeft(ftp) && ftp.left.message).toMatch(/http: or https:/);
    const typed = resolveRequestOptions({ url: legacy.url, server_port: { n: 1 } });
    expect(Either.isLeft(typed) && typed.left.message).toMatch(/requestOptions\.server_port/);
    const range = resolveRequestOptions({ url: legacy.url, server_port: 70000 });
    expect(Either.isLeft(range) && range.left.message).toMatch(/server_port: expected a port/);
  });

  it("keeps the default port implicit in host when url has none", () => {
    const ok = resolveRequestOptions({
      url: "http://acs.example.test/x",
      host: "acs.example.test:80",
      port: "80",
    });
    expect(Either.isRight(ok)).toBe(true);
  });
});
