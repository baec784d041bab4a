/**
 * A fleet of several kinds of device by weight (3 gateways for 1 module): device `index` is of
 * the kind its position in a repeating cycle of `sum(weights)` indices falls in, so every run of
 * that many consecutive indices holds each kind exactly its weight times, and a device's kind
 * depends on its index only (the same after a restart and on any shard).
 * @module
 */

/** The kind (index into `weights`) of device `index`. Weights are positive integers. */
export const kindOfIndex = (weights: readonly number[], index: number): number => {
  const total = weights.reduce((a, b) => a + b, 0);
  let position = index % total;
  for (let k = 0; k < weights.length; k++) {
    const w = weights[k] ?? 0;
    if (position < w) return k;
    position -= w;
  }
  return weights.length - 1;
};
