import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Effect } from "effect";
import { afterAll, describe, expect, it } from "vitest";
import {
  browserRequired,
  chromiumUnavailable,
  launchHeadlessChromium,
} from "../test-support/headless-chromium.js";
import { genericCellularModule } from "./demo-device.js";
import { runDemo } from "./run-demo.js";

/** What the Mermaid source asks to be drawn: participant labels, messages and notes, in order. */
const expectedDrawing = (mmd: string) => {
  const decode = (t: string) => t.replace(/#59;/g, ";").replace(/#35;/g, "#").trim();
  const participants: string[] = [];
  const messages: string[] = [];
  const notes: string[] = [];
  for (const line of mmd.split("\n")) {
    const p = /^\s*participant \w+ as (.*)$/.exec(line);
    if (p) participants.push(decode(p[1] as string));
    const m = /^\s*\w+-{1,2}>>\w+: (.*)$/.exec(line);
    if (m) messages.push(decode(m[1] as string));
    const n = /^\s*Note (?:over|right of|left of) [\w,]+: (.*)$/.exec(line);
    if (n) notes.push(decode(n[1] as string));
  }
  return { participants, messages, notes };
};

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

const unavailable = chromiumUnavailable();
if (unavailable !== undefined && !browserRequired())
  console.warn(`skipping the browser check of sessions.html: ${unavailable}`);

describe("cpekit demo's sessions.html in headless chromium, offline", () => {
  it.skipIf(unavailable !== undefined && !browserRequired())(
    "draws every participant, message and note of the demo's transcript with no network (Mermaid inlined)",
    async () => {
      if (unavailable !== undefined) throw new Error(`CPEKIT_REQUIRE_SERVERS=1 but ${unavailable}`);
      const dir = await mkdtemp(join(tmpdir(), "cpekit-diagram-"));
      dirs.push(dir);
      const { files } = await Effect.runPromise(
        runDemo({
          device: genericCellularModule,
          outDir: dir,
          stepTimeoutMs: 15_000,
          verbose: false,
          out: () => {},
        }),
      );
      const mmd = await readFile(files.mermaid, "utf8");
      const expected = expectedDrawing(mmd);
      // The tour's sessions: the three participants and dozens of arrows.
      expect(expected.participants).toEqual([
        "CPE 00CAFE-DemoModule-DEMO0001",
        "ACS (cpekit testkit)",
        "File server",
      ]);
      expect(expected.messages.length).toBeGreaterThan(20);

      const browser = await launchHeadlessChromium();
      try {
        const page = await browser.context.newPage();
        const pageErrors: string[] = [];
        page.on("pageerror", (e) => pageErrors.push(e.message));
        await page.goto(pathToFileURL(files.html).href);
        await page.waitForSelector("body[data-diagram]", { timeout: 30_000 });
        expect(await page.getAttribute("body", "data-diagram")).toBe("drawn");
        const texts = async (selector: string) =>
          (await page.locator(`pre.mermaid svg ${selector}`).allTextContents()).map((t) =>
            t.replace(/\s+/g, " ").trim(),
          );
        const drawn = {
          svgs: await page.locator("pre.mermaid svg").count(),
          actors: await texts("text.actor"),
          messages: await texts("text.messageText"),
          notes: await texts("text.noteText"),
        };
        const squash = (t: string) => t.replace(/\s+/g, " ");
        expect(drawn.svgs).toBe(1);
        for (const p of expected.participants) expect(drawn.actors).toContain(p);
        expect(drawn.messages).toEqual(expected.messages.map(squash));
        expect(drawn.notes).toEqual(expected.notes.map(squash));
        expect(pageErrors).toEqual([]);
        expect(browser.blocked).toEqual([]);
        const shot = join(dir, "sessions.png");
        await page.screenshot({ path: shot, fullPage: true });
        const png = await readFile(shot);
        expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
        expect((await stat(shot)).size).toBeGreaterThan(20_000);
      } finally {
        await browser.close();
      }
    },
    120_000,
  );
});
