/**
 * Whether to gzip the bodies POSTed to an ACS (H8, TR-069 3.4.5: HTTP compression is the
 * ACS's to accept). In `"auto"` mode an origin is sent gzip once one of its answers shows it
 * takes gzip: `Content-Encoding: gzip` on an answer, or `gzip` in an `Accept-Encoding` header of
 * an answer (RFC 7694). A 415 to a gzip body turns it off for that origin again (icwmp's
 * fallback). What is learnt lasts as long as the client (every session of the device).
 * @module
 */

/** How request bodies are compressed: learnt from the ACS, always gzip, or never. */
export type RequestCompressionMode = "auto" | "gzip" | "none";

/** Mentions of gzip in a coding list (`gzip`, `x-gzip`, `gzip;q=1`), not `gzip;q=0`. */
const acceptsGzip = (value: string | undefined): boolean =>
  (value ?? "")
    .toLowerCase()
    .split(",")
    .some((item) => {
      const [coding = "", ...params] = item.split(";").map((p) => p.trim());
      if (coding !== "gzip" && coding !== "x-gzip") return false;
      const q = params.find((p) => p.startsWith("q="));
      return q === undefined || Number(q.slice(2)) > 0;
    });

/** The per-client compression choice, by origin. */
export interface RequestCompression {
  /** True when a body to `origin` is to be gzipped. */
  readonly gzipFor: (origin: string) => boolean;
  /** Reads what an answer of `origin` says about the codings it takes. */
  readonly learn: (
    origin: string,
    contentEncoding: string | undefined,
    acceptEncoding: string | undefined,
  ) => void;
  /** `origin` refused a gzip body (415): plain bodies from now on. */
  readonly refused: (origin: string) => void;
}

/** The compression choice of one client in `mode`. */
export const makeRequestCompression = (mode: RequestCompressionMode): RequestCompression => {
  const origins = new Map<string, boolean>();
  return {
    gzipFor: (origin) =>
      mode === "gzip"
        ? origins.get(origin) !== false
        : mode === "auto" && origins.get(origin) === true,
    learn: (origin, contentEncoding, acceptEncoding) => {
      if (mode !== "auto" || origins.get(origin) === false) return;
      if (acceptsGzip(contentEncoding) || acceptsGzip(acceptEncoding)) origins.set(origin, true);
    },
    refused: (origin) => {
      origins.set(origin, false);
    },
  };
};
