// Where one sequence's KV cache sits inside a left-padded batch. A cache tensor is [1, nh, P, hs];
// stacked with others it becomes row b of [B, nh, L, hs], flush right (padding first), so every
// row's newest position is the batch's last one. Each (b, h) block is contiguous in both layouts,
// so stacking and splitting are nh plain copies per row and tensor: typed-array copies on WASM,
// buffer-to-buffer copies on WebGPU, both driven by these offsets.
import type { KvArray } from './kv-array-pool.js';

/** Heads and head size of a cache tensor [1, nh, P, hs]. */
export interface KvShape {
  numHeads: number;
  headSize: number;
}

/** One head's contiguous block, in elements: at `own` in the row's cache, at `batched` in the batch. */
export interface HeadBlock {
  own: number;
  batched: number;
  length: number;
}

/**
 * The blocks of row `row`, whose cache holds `length` positions (in room for `capacity`), in a
 * batch padded to `paddedLength` positions. The same blocks stack a past into the batch and split a present out.
 */
export function headBlocks(row: number, length: number, paddedLength: number, { numHeads, headSize }: KvShape, capacity = length): HeadBlock[] {
  const padding = paddedLength - length;
  const blocks: HeadBlock[] = [];
  if (length === 0) return blocks;
  for (let head = 0; head < numHeads; head++) {
    blocks.push({
      own: head * capacity * headSize, // [0, head, 0, 0] of [1, nh, capacity, hs]
      batched: ((row * numHeads + head) * paddedLength + padding) * headSize, // [row, head, padding, 0] of [B, nh, L, hs]
      length: length * headSize,
    });
  }
  return blocks;
}

/** attention_mask rows [B, L + 1]: 0 on each row's left padding, 1 on its own positions and the new one. */
/**
 * attention_mask row [1, C + T] of a cache with room for `capacity` positions of which the first
 * `length` are in use, then `newPositions`: 0 on the unused room, as on a batch's left padding.
 */
export function roomMask(length: number, capacity: number, newPositions: number): number[] {
  return [...new Array<number>(length).fill(1), ...new Array<number>(capacity - length).fill(0), ...new Array<number>(newPositions).fill(1)];
}

export function leftPaddedMask(lengths: readonly number[], paddedLength: number): number[] {
  return lengths.flatMap((length) => [
    ...new Array<number>(paddedLength - length).fill(0),
    ...new Array<number>(length + 1).fill(1),
  ]);
}

/**
 * Writes row `row`'s T new positions out of `fresh` [B, nh, T, hs] into a cache [1, nh, capacity, hs]
 * after its first `length` positions, in place.
 */
export function writePositions(into: KvArray, capacity: number, length: number, fresh: KvArray, row: number, T: number, { numHeads, headSize }: KvShape): void {
  for (let head = 0; head < numHeads; head++) {
    const from = (row * numHeads + head) * T * headSize; // [row, head, 0, 0] of [B, nh, T, hs]
    into.set(fresh.subarray(from, from + T * headSize), (head * capacity + length) * headSize); // [0, head, length, 0]
  }
}

/** Copies the first `length` positions of a cache [1, nh, fromCapacity, hs] into one [1, nh, intoCapacity, hs]. */
export function copyPositions(from: KvArray, fromCapacity: number, into: KvArray, intoCapacity: number, length: number, { numHeads, headSize }: KvShape): void {
  if (length === 0) return;
  for (let head = 0; head < numHeads; head++) {
    const start = head * fromCapacity * headSize;
    into.set(from.subarray(start, start + length * headSize), head * intoCapacity * headSize);
  }
}
