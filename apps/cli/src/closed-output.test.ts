import { spawn } from "node:child_process";
import { EventEmitter } from "node:events";
import { beforeAll, describe, expect, it } from "vitest";
import { endQuietlyOnClosedOutput } from "./closed-output.js";
import { ensureBuilt, mainJs } from "./test-support/built-cli.js";

const epipe = () => Object.assign(new Error("write EPIPE"), { code: "EPIPE" });

describe("a closed standard output", () => {
  it("ends the command with exit 0 on EPIPE from stdout, ignores it from stderr, and rethrows other stream errors", () => {
    const stdout = new EventEmitter();
    const stderr = new EventEmitter();
    const exits: number[] = [];
    endQuietlyOnClosedOutput({
      stdout: stdout as unknown as NodeJS.WritableStream,
      stderr: stderr as unknown as NodeJS.WritableStream,
      exit: (code) => exits.push(code),
    });
    stderr.emit("error", epipe());
    expect(exits).toEqual([]);
    stdout.emit("error", epipe());
    expect(exits).toEqual([0]);
    const other = Object.assign(new Error("disk full"), { code: "ENOSPC" });
    expect(() => stdout.emit("error", other)).toThrow("disk full");
    expect(() => stderr.emit("error", other)).toThrow("disk full");
  });

  describe("with the built CLI", () => {
    beforeAll(ensureBuilt, 180_000);

    // `cpekit run --help | head -0`: the reader is gone before the help is written.
    it("`cpekit run --help` into a pipe closed by its reader exits 0 with no stack trace", async () => {
      const child = spawn(process.execPath, [mainJs, "run", "--help"], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      // Close the reading end at once: node starts long after this, so its write meets EPIPE.
      child.stdout.destroy();
      let stderr = "";
      child.stderr.setEncoding("utf8").on("data", (s: string) => {
        stderr += s;
      });
      const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(
        (done, fail) => {
          const timer = setTimeout(() => {
            child.kill("SIGKILL");
            fail(new Error(`still running:\n${stderr}`));
          }, 20_000);
          child.once("close", (c, s) => {
            clearTimeout(timer);
            done([c, s]);
          });
        },
      );
      expect({ code, signal, stderr }).toEqual({ code: 0, signal: null, stderr: "" });
    }, 30_000);
  });
});
