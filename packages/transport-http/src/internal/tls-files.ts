/**
 * TLS material of an HTTPS client read from files: a CA bundle to trust, and a client
 * certificate and key for ACSes that authenticate the CPE by certificate (A1).
 * @module
 */
import { readFile } from "node:fs/promises";

/** Paths of PEM files and the verification switch. */
export interface TlsFiles {
  /** PEM CA bundle trusted instead of Node's default roots. */
  readonly caFile?: string;
  /** PEM client certificate (chain). */
  readonly certFile?: string;
  /** PEM private key of the client certificate. */
  readonly keyFile?: string;
  /** Verify the server certificate. Default true; turn off only for lab ACSes. */
  readonly rejectUnauthorized?: boolean;
}

/** The loaded material, in the shape of node:tls connect options. */
export interface TlsMaterial {
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
}

/** Reads the configured files; rejects with the failing path in the message. */
export const loadTlsFiles = async (files: TlsFiles): Promise<TlsMaterial> => {
  const read = async (path: string | undefined, what: string) => {
    if (path === undefined) return undefined;
    try {
      return await readFile(path, "utf8");
    } catch (error) {
      throw new Error(`cannot read ${what} ${path}: ${(error as Error).message}`);
    }
  };
  const [ca, cert, key] = await Promise.all([
    read(files.caFile, "CA file"),
    read(files.certFile, "client certificate"),
    read(files.keyFile, "client key"),
  ]);
  return {
    ...(ca === undefined ? {} : { ca }),
    ...(cert === undefined ? {} : { cert }),
    ...(key === undefined ? {} : { key }),
  };
};
