import { describe, expect, it } from "vitest";
import type { BridgeLink } from "../link/bridge-link.js";
import { BridgeLinkError } from "../link/bridge-link-error.js";
import { ChecksumMismatch, sha256Hex, stagingDir, uploadAppFiles } from "./app-upload.js";

/** A link that records the actions asked and answers each with `answer`. */
const recordingLink = (answer: (name: string, args: Record<string, unknown>) => unknown) => {
  const calls: [string, Record<string, unknown>, unknown][] = [];
  const link = {
    action: async (name: string, args: Record<string, unknown>, options: unknown) => {
      calls.push([name, args, options]);
      return answer(name, args);
    },
  } as unknown as BridgeLink;
  return { link, calls };
};

const bytes = (text: string) => new TextEncoder().encode(text);

describe("uploadAppFiles (files to the module's staging directory, checked there)", () => {
  it("writes each file in chunks of a multiple of 3 bytes at rising offsets; only the last chunk carries the SHA-256", async () => {
    const { link, calls } = recordingLink(() => 0);
    const files = [
      { path: "main.py", bytes: bytes("0123456789") },
      { path: "lib/empty.py", bytes: new Uint8Array() },
    ];
    const sums = await uploadAppFiles(link, "app", files, { chunkBytes: 4, timeoutMs: 700 });
    expect(stagingDir("app")).toBe("/usr/apps/.app");
    expect(calls).toEqual([
      ["duPut", { f: "/usr/apps/.app/main.py", o: 0, d: "MDEy" }, { timeoutMs: 700 }],
      ["duPut", { f: "/usr/apps/.app/main.py", o: 3, d: "MzQ1" }, { timeoutMs: 700 }],
      ["duPut", { f: "/usr/apps/.app/main.py", o: 6, d: "Njc4" }, { timeoutMs: 700 }],
      [
        "duPut",
        { f: "/usr/apps/.app/main.py", o: 9, d: "OQ==", h: sha256Hex(bytes("0123456789")) },
        { timeoutMs: 700 },
      ],
      // An empty file is one empty chunk with its checksum.
      [
        "duPut",
        { f: "/usr/apps/.app/lib/empty.py", o: 0, d: "", h: sha256Hex(new Uint8Array()) },
        { timeoutMs: 700 },
      ],
    ]);
    expect(sums).toEqual({
      "main.py": "84d89877f0d4041efb6bf91a16f0248f2fd573e6af05c19f96bedb9f882f7882",
      "lib/empty.py": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    });
    // Without options: 512-byte chunks, the link's own time-out.
    const big = recordingLink(() => 0);
    await uploadAppFiles(big.link, "app", [{ path: "a", bytes: new Uint8Array(1000) }]);
    expect(big.calls.map(([, a, o]) => [a.o, o])).toEqual([
      [0, undefined],
      [510, undefined],
    ]);
  });

  it("a checksum the module does not match is a ChecksumMismatch naming the file; other failures pass through", async () => {
    const mismatch = recordingLink((_, args) => {
      if (args.h !== undefined)
        throw new BridgeLinkError({ reason: "Remote", detail: "checksum mismatch abc" });
      return 0;
    });
    const e = await uploadAppFiles(mismatch.link, "app", [
      { path: "m.py", bytes: bytes("x") },
    ]).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ChecksumMismatch);
    expect((e as ChecksumMismatch).path).toBe("m.py");
    expect((e as Error).message).toBe(
      `m.py: the module's checksum does not match the file sent (sha256 ${sha256Hex(bytes("x"))}): checksum mismatch abc`,
    );
    const other = new BridgeLinkError({ reason: "Remote", detail: "OSError:28" });
    const full = recordingLink(() => {
      throw other;
    });
    await expect(
      uploadAppFiles(full.link, "app", [{ path: "m.py", bytes: bytes("x") }]),
    ).rejects.toBe(other);
    const timeout = new BridgeLinkError({ reason: "Timeout", detail: "checksum mismatch" });
    const late = recordingLink(() => {
      throw timeout;
    });
    await expect(
      uploadAppFiles(late.link, "app", [{ path: "m.py", bytes: bytes("x") }]),
    ).rejects.toBe(timeout);
  });
});
