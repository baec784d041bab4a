/**
 * A throw-away PKI made with the openssl CLI in a temp dir: a CA, a server certificate for
 * 127.0.0.1 and a client certificate, all signed by the CA; plus a second, unrelated CA.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestPki {
  readonly dir: string;
  readonly caFile: string;
  readonly otherCaFile: string;
  readonly serverKey: string;
  readonly serverCert: string;
  readonly ca: string;
  readonly clientCertFile: string;
  readonly clientKeyFile: string;
  cleanup(): void;
}

export const makeTestPki = (): TestPki => {
  const dir = mkdtempSync(join(tmpdir(), "cpekit-pki-"));
  const f = (name: string) => join(dir, name);
  const ssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  ssl(
    "req",
    "-x509",
    ...ec,
    "-keyout",
    f("ca.key"),
    "-out",
    f("ca.pem"),
    "-days",
    "2",
    "-subj",
    "/CN=cpekit test CA",
  );
  ssl(
    "req",
    "-x509",
    ...ec,
    "-keyout",
    f("other.key"),
    "-out",
    f("other.pem"),
    "-days",
    "2",
    "-subj",
    "/CN=other CA",
  );
  writeFileSync(f("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  ssl(
    "req",
    "-new",
    ...ec,
    "-keyout",
    f("server.key"),
    "-out",
    f("server.csr"),
    "-subj",
    "/CN=127.0.0.1",
  );
  ssl(
    "x509",
    "-req",
    "-in",
    f("server.csr"),
    "-CA",
    f("ca.pem"),
    "-CAkey",
    f("ca.key"),
    "-CAcreateserial",
    "-days",
    "2",
    "-extfile",
    f("server.ext"),
    "-out",
    f("server.pem"),
  );
  writeFileSync(f("client.ext"), "extendedKeyUsage=clientAuth\n");
  ssl(
    "req",
    "-new",
    ...ec,
    "-keyout",
    f("client.key"),
    "-out",
    f("client.csr"),
    "-subj",
    "/CN=cpe-000001",
  );
  ssl(
    "x509",
    "-req",
    "-in",
    f("client.csr"),
    "-CA",
    f("ca.pem"),
    "-CAkey",
    f("ca.key"),
    "-CAcreateserial",
    "-days",
    "2",
    "-extfile",
    f("client.ext"),
    "-out",
    f("client.pem"),
  );
  return {
    dir,
    caFile: f("ca.pem"),
    otherCaFile: f("other.pem"),
    ca: readFileSync(f("ca.pem"), "utf8"),
    serverKey: readFileSync(f("server.key"), "utf8"),
    serverCert: readFileSync(f("server.pem"), "utf8"),
    clientCertFile: f("client.pem"),
    clientKeyFile: f("client.key"),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
};
