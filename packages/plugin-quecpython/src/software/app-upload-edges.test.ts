import { describe, expect, it } from "vitest";
import type { BridgeLink } from "../link/bridge-link.js";
import { BridgeLinkError } from "../link/bridge-link-error.js";
import { sha256Hex, uploadAppFiles } from "./app-upload.js";

// The chunking's edges and the failures that are not a checksum mismatch.

const recordingLink = (answer: (args: Record<string, unknown>) => unknown = () => 0) => {
  const calls: Record<string, unknown>[] = [];
  const link = {
    action: async (_name: string, args: Record<string, unknown>) => {
      calls.push(args);
      return answer(args);
    },
  } as unknown as BridgeLink;
  return { link, calls };
};

describe("uploadAppFiles edges", () => {
  it("a chunk size below 3 is raised to 3, one not a multiple of 3 is rounded down", async () => {
    const small = recordingLink();
    await uploadAppFiles(small.link, "a", [{ path: "f", bytes: new Uint8Array(7) }], {
      chunkBytes: 1,
    });
    expect(small.calls.map((c) => c.o)).toEqual([0, 3, 6]);
    const rounded = recordingLink();
    await uploadAppFiles(rounded.link, "a", [{ path: "f", bytes: new Uint8Array(12) }], {
      chunkBytes: 8,
    });
    expect(rounded.calls.map((c) => c.o)).toEqual([0, 6]);
  });

  it("a file of exactly one chunk is one duPut with its checksum", async () => {
    const one = recordingLink();
    const bytes = new Uint8Array([1, 2, 3]);
    await uploadAppFiles(one.link, "a", [{ path: "f", bytes }], { chunkBytes: 3 });
    expect(one.calls).toEqual([{ f: "/usr/apps/.a/f", o: 0, d: "AQID", h: sha256Hex(bytes) }]);
  });

  it("a failure that is not the link's, or a remote one that only mentions a mismatch, passes through", async () => {
    const plain = new Error("checksum mismatch");
    await expect(
      uploadAppFiles(
        recordingLink(() => {
          throw plain;
        }).link,
        "a",
        [{ path: "f", bytes: new Uint8Array(1) }],
      ),
    ).rejects.toBe(plain);
    const later = new BridgeLinkError({ reason: "Remote", detail: "OSError: checksum mismatch" });
    await expect(
      uploadAppFiles(
        recordingLink(() => {
          throw later;
        }).link,
        "a",
        [{ path: "f", bytes: new Uint8Array(1) }],
      ),
    ).rejects.toBe(later);
  });
});
