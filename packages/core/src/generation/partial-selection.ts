/**
 * Selection without a full sort, for top-k and top-p over a 50257-token vocabulary; a full sort of
 * 50257 floats takes about 4 ms on a small machine, several times the rest of a sampling step.
 */

let heapBuffer = new Float64Array(0);
let workBuffer = new Float64Array(0);

/**
 * The k-th largest value (k from 1); NaN counts as -Infinity. Requires 1 <= k <= values.length.
 * One pass with a size-k min-heap: a value smaller than the heap's minimum (nearly all of them
 * once the heap fills) costs one comparison.
 */
export function kthLargest(values: ArrayLike<number>, k: number): number {
  const length = values.length;
  if (!(Number.isInteger(k) && k >= 1 && k <= length)) throw new RangeError(`k must be an integer in [1, ${length}], got ${k}`);
  if (heapBuffer.length < k) heapBuffer = new Float64Array(k);
  const heap = heapBuffer;

  for (let i = 0; i < k; i++) {
    const value = values[i];
    siftUp(heap, i, value === value ? value : -Infinity);
  }
  for (let i = k; i < length; i++) {
    const value = values[i];
    if (value > heap[0]) siftDown(heap, k, value); // NaN compares false and is skipped
  }
  return heap[0];
}

/** Inserts value at the end of heap[0, size) and restores min-heap order. */
function siftUp(heap: Float64Array, size: number, value: number): void {
  let child = size;
  while (child > 0) {
    const parent = (child - 1) >> 1;
    if (heap[parent] <= value) break;
    heap[child] = heap[parent];
    child = parent;
  }
  heap[child] = value;
}

/** Replaces the minimum of heap[0, size) with value and restores min-heap order. */
function siftDown(heap: Float64Array, size: number, value: number): void {
  let parent = 0;
  for (;;) {
    let child = 2 * parent + 1;
    if (child >= size) break;
    if (child + 1 < size && heap[child + 1] < heap[child]) child++;
    if (heap[child] >= value) break;
    heap[parent] = heap[child];
    parent = child;
  }
  heap[parent] = value;
}

export interface NucleusThreshold {
  /** Every weight above it is kept. */
  threshold: number;
  /** How many weights equal to `threshold` are kept too (the first ones by index, for determinism). */
  keepAtThreshold: number;
}

/**
 * Where the nucleus ends: taking weights from the largest down, the smallest prefix whose sum
 * reaches `mass` stops at `threshold`. Always keeps at least one weight. Weights must be >= 0,
 * at least one positive, summing to `total`.
 *
 * Quickselect on sums: partition around a pivot, then continue into whichever side the nucleus
 * ends in; expected O(n). A three-way partition copes with long runs of equal weights.
 */
export function nucleusThreshold(weights: ArrayLike<number>, mass: number, total: number): NucleusThreshold {
  // A weight below (total - mass) / n is outside the nucleus: all such weights together hold
  // less than total - mass, so dropping them (the smallest) still leaves at least `mass` above.
  // Peaked distributions shrink to a few hundred candidates this way.
  // (The positive floor on mass makes the largest weight alone enough when mass <= 0, and keeps
  // the bound below the mean weight, so the largest weight is always a candidate.)
  let remaining = Math.max(mass, Number.MIN_VALUE);
  const bound = (total - remaining) / weights.length;
  if (workBuffer.length < weights.length) workBuffer = new Float64Array(weights.length);
  const work = workBuffer;
  let high = 0;
  for (let i = 0; i < weights.length; i++) {
    const weight = weights[i];
    if (weight >= bound) work[high++] = weight;
  }
  if (high === 0) throw new RangeError('nucleusThreshold: weights must include a positive one and sum to total');

  let low = 0;
  for (;;) {
    const { greaterEnd, lessStart, pivot, greaterSum } = partitionDescending(work, low, high);
    if (greaterSum >= remaining) {
      high = greaterEnd; // the nucleus ends among the larger weights
      continue;
    }
    const equal = lessStart - greaterEnd;
    const equalSum = pivot * equal;
    if (greaterSum + equalSum >= remaining || lessStart === high) {
      // Ends inside the run of weights equal to the pivot (or rounding ran out of weights).
      const needed = Math.ceil((remaining - greaterSum) / pivot - 1e-9);
      return { threshold: pivot, keepAtThreshold: Math.min(equal, Math.max(1, needed)) };
    }
    remaining -= greaterSum + equalSum;
    low = lessStart;
  }
}

interface Partition {
  /** [low, greaterEnd) holds values above the pivot. */
  greaterEnd: number;
  /** [greaterEnd, lessStart) holds values equal to the pivot, [lessStart, high) values below. */
  lessStart: number;
  pivot: number;
  /** Sum of the values above the pivot. */
  greaterSum: number;
}

/** Dutch-flag partition of work[low, high) around a median-of-three pivot, largest first. */
function partitionDescending(work: Float64Array, low: number, high: number): Partition {
  const pivot = medianOfThree(work[low], work[low + ((high - low) >> 1)], work[high - 1]);
  let greaterEnd = low;
  let lessStart = high;
  let greaterSum = 0;
  let i = low;
  while (i < lessStart) {
    const value = work[i];
    if (value > pivot) {
      work[i] = work[greaterEnd];
      work[greaterEnd] = value;
      greaterEnd++;
      greaterSum += value;
      i++;
    } else if (value < pivot) {
      lessStart--;
      work[i] = work[lessStart];
      work[lessStart] = value;
    } else {
      i++;
    }
  }
  return { greaterEnd, lessStart, pivot, greaterSum };
}

function medianOfThree(a: number, b: number, c: number): number {
  if (a < b) return b < c ? b : a < c ? c : a;
  return a < c ? a : b < c ? c : b;
}
