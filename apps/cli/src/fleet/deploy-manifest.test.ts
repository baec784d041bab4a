/**
 * The Kubernetes Indexed Job in deploy/: its pods, each running the shard of its completion
 * index, together run the whole fleet of its profile, each serial on exactly one pod.
 */
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { shardRange } from "@cpekit/fleet";
import { Either } from "effect";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { decodeProfile } from "../profile/load-profile.js";
import { fleetPlanOf } from "./fleet-plan.js";

const deployDir = resolve(dirname(fileURLToPath(import.meta.url)), "../../../../deploy");

interface Manifest {
  readonly kind: string;
  readonly data?: Record<string, string>;
  readonly spec?: {
    readonly completionMode?: string;
    readonly completions?: number;
    readonly parallelism?: number;
    readonly template: {
      readonly spec: {
        readonly containers: readonly {
          readonly env?: readonly { name: string; value: string }[];
          readonly args?: readonly string[];
        }[];
      };
    };
  };
}

describe("deploy/kubernetes/fleet-job.yaml", () => {
  it("each pod of the Indexed Job runs shard JOB_COMPLETION_INDEX/n; the shards of all pods are disjoint and cover the profile's serial range", async () => {
    const text = await readFile(join(deployDir, "kubernetes/fleet-job.yaml"), "utf8");
    const docs = parseAllDocuments(text).map((d) => d.toJS() as Manifest);
    const job = docs.find((d) => d.kind === "Job");
    const configMap = docs.find((d) => d.kind === "ConfigMap");
    expect(job?.spec?.completionMode).toBe("Indexed");
    const container = job?.spec?.template.spec.containers[0];
    const shards = Number(container?.env?.find((e) => e.name === "FLEET_SHARDS")?.value);
    expect(job?.spec?.completions).toBe(shards);
    expect(job?.spec?.parallelism).toBe(shards);
    // The pod's shell expands the completion index and the shard count.
    const shell = (name: string) => `\${${name}}`;
    expect(container?.args?.join(" ")).toContain(
      `--shard "${shell("JOB_COMPLETION_INDEX")}/${shell("FLEET_SHARDS")}"`,
    );

    const profile = parse(configMap?.data?.["fleet.yaml"] ?? "");
    const loaded = Either.getOrThrow(decodeProfile(profile, "/etc/cpekit/fleet.yaml"));
    const seen = new Map<string, number>();
    let count = 0;
    for (let index = 0; index < shards; index++) {
      // What the pod's shell passes: the completion index over FLEET_SHARDS.
      const plan = Either.getOrThrow(
        fleetPlanOf(loaded, "/etc/cpekit/fleet.yaml", {
          shard: `${index}/${shards}`,
          metricsHost: "0.0.0.0",
          grace: "10",
        }),
      );
      count = plan.count;
      const range = shardRange(plan.count, plan.shard);
      for (let i = range.start; i < range.end; i++) {
        const serial = plan.serialOf(i);
        seen.set(serial, (seen.get(serial) ?? 0) + 1);
      }
    }
    expect(count).toBeGreaterThan(shards);
    expect(seen.size).toBe(count);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
  });

  it("the image's entry point is the bin the Job runs", async () => {
    const dockerfile = await readFile(join(deployDir, "Dockerfile"), "utf8");
    const job = await readFile(join(deployDir, "kubernetes/fleet-job.yaml"), "utf8");
    const bin = /ENTRYPOINT \["node", "([^"]+)"\]/.exec(dockerfile)?.[1];
    expect(bin).toBe("/app/apps/cli/dist/main.js");
    expect(job).toContain(`exec node ${bin} fleet`);
  });
});
