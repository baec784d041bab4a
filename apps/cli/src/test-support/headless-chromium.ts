/**
 * Test support: Debian's `chromium`, driven headless through playwright-core, with no network
 * beyond loopback. Used to check that pages cpekit writes draw in a real browser.
 * @module
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium } from "playwright-core";

/** Where Debian's `chromium` package puts the browser. */
export const CHROMIUM_PATH = "/usr/bin/chromium";

/**
 * Why the browser tests cannot run here, or `undefined` when they can. Under CI
 * (`CPEKIT_REQUIRE_SERVERS=1`, set by `.ci/run`, which installs chromium) a missing browser is
 * a failure, not a skip.
 */
export const chromiumUnavailable = (): string | undefined =>
  existsSync(CHROMIUM_PATH)
    ? undefined
    : `no browser at ${CHROMIUM_PATH} (Debian: apt-get install -y chromium)`;

/** Whether a missing browser must fail the test rather than skip it. */
export const browserRequired = (): boolean => process.env.CPEKIT_REQUIRE_SERVERS === "1";

// A URL the page may load: its own file, inline data, or a loopback server.
const isLocal = (url: string): boolean => {
  const u = new URL(url);
  if (u.protocol === "file:" || u.protocol === "data:" || u.protocol === "blob:") return true;
  return ["127.0.0.1", "localhost", "[::1]"].includes(u.hostname);
};

/** A headless browser context and the non-local requests it blocked. */
export interface HeadlessBrowser {
  readonly context: BrowserContext;
  /** URLs of the requests that were blocked because they would have left the machine. */
  readonly blocked: readonly string[];
  readonly close: () => Promise<void>;
}

/**
 * Launches chromium headless with a fresh profile, no background networking, and every request
 * that is not file:, data:, blob: or loopback aborted (and recorded in `blocked`).
 */
export const launchHeadlessChromium = async (): Promise<HeadlessBrowser> => {
  const profile = await mkdtemp(join(tmpdir(), "cpekit-chromium-"));
  const blocked: string[] = [];
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      timeout: 30_000,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (isLocal(url)) return route.continue();
      blocked.push(url);
      return route.abort("blockedbyclient");
    });
    return {
      context,
      blocked,
      close: async () => {
        await context.close();
        await rm(profile, { recursive: true, force: true });
      },
    };
  } catch (cause) {
    await rm(profile, { recursive: true, force: true });
    throw cause;
  }
};
