/**
 * Shards: `--shard i/n` runs the i-th of n disjoint slices of a fleet's index range, so n
 * machines (or the pods of a Kubernetes Indexed Job) together run one fleet. Slices are
 * contiguous and differ in size by at most one device.
 * @module
 */
import { Data, Either } from "effect";

/** The i-th (from 0) of `total` slices. */
export interface Shard {
  readonly index: number;
  readonly total: number;
}

/** The whole fleet as one shard. */
export const wholeFleet: Shard = { index: 0, total: 1 };

/** A half-open range of device indices `[start, end)`. */
export interface IndexRange {
  readonly start: number;
  readonly end: number;
}

/** A `--shard` value that is not `i/n` with 0 <= i < n. */
export class ShardError extends Data.TaggedError("ShardError")<{ readonly detail: string }> {
  override get message(): string {
    return `shard: ${this.detail}`;
  }
}

/** Parses `i/n` (e.g. `0/4`). */
export const parseShard = (text: string): Either.Either<Shard, ShardError> => {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (m === null)
    return Either.left(new ShardError({ detail: `expected i/n (e.g. 0/4), got "${text}"` }));
  const index = Number(m[1]);
  const total = Number(m[2]);
  if (total < 1)
    return Either.left(new ShardError({ detail: `n must be at least 1 in "${text}"` }));
  if (index >= total)
    return Either.left(new ShardError({ detail: `i must be below n (0 <= i < n) in "${text}"` }));
  return Either.right({ index, total });
};

/**
 * The indices of `shard` in a fleet of `count` devices: `[floor(i*count/n), floor((i+1)*count/n))`.
 * The ranges of shards 0..n-1 are disjoint and cover `[0, count)`.
 */
export const shardRange = (count: number, shard: Shard): IndexRange => ({
  start: Math.floor((shard.index * count) / shard.total),
  end: Math.floor(((shard.index + 1) * count) / shard.total),
});
