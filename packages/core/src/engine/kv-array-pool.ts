// Reuses the typed arrays of batched KV copies on WASM. A fresh Float32Array for every tensor of
// every step costs more CPU than the copy into it (zeroing, page faults, garbage collection):
// measured here, about 25 ms against 2 ms a step for 4 sessions of 40 positions of DialoGPT-small.
// Arrays are exact-length views of a backing array whose capacity is rounded up to whole granules
// (several positions) and then to the next of a series growing by a quarter, so a cache that grows
// by a position a step, or by a whole prompt at the start of a turn, mostly fits an array the old
// one gave back (a fresh array costs an allocation that grows with the cache; at most a quarter of
// a capacity goes unused).

export type KvArray = Float32Array | Uint16Array;

export class KvArrayPool {
  /** Backing arrays given back, by element kind and capacity. */
  private readonly free = new Map<string, KvArray[]>();
  private readonly backingOf = new WeakMap<KvArray, KvArray>();
  private freeElements = 0;

  /**
   * @param granule elements the capacities are rounded up to
   * @param maxFreeElements how much the pool may keep unused (beyond it, given-back arrays are dropped)
   */
  constructor(
    private readonly granule: number,
    private readonly maxFreeElements: () => number,
  ) {}

  /** The capacity take() gives an array of `length` elements: room a growing cache can use. */
  capacityFor(length: number): number {
    return capacityUnits(Math.ceil(length / this.granule)) * this.granule;
  }

  /** A view of exactly `length` elements of the same kind as `like`; its contents are left over, not zeroed. */
  take(like: KvArray, length: number): KvArray {
    const capacity = this.capacityFor(length);
    const Kind = like.constructor as new (length: number) => KvArray;
    const key = `${Kind.name}:${capacity}`;
    let backing = this.free.get(key)?.pop();
    if (backing) this.freeElements -= capacity;
    else backing = new Kind(capacity);
    const view = backing.subarray(0, length);
    this.backingOf.set(view, backing);
    return view;
  }

  /** Gives back an array take() made (others are ignored); it must not be used afterwards. */
  give(array: unknown): void {
    const backing = this.backingOf.get(array as KvArray);
    if (!backing) return;
    this.backingOf.delete(array as KvArray);
    this.evictUntilRoomFor(backing.length);
    if (this.freeElements + backing.length > this.maxFreeElements()) return;
    const key = `${backing.constructor.name}:${backing.length}`;
    const list = this.free.get(key) ?? [];
    list.push(backing);
    this.free.set(key, list);
    this.freeElements += backing.length;
  }

  /** Drops the smallest kept arrays first: caches only grow, so those are the ones outgrown. */
  private evictUntilRoomFor(elements: number): void {
    const limit = this.maxFreeElements();
    if (this.freeElements + elements <= limit) return;
    const bySize = [...this.free.entries()].sort(([, a], [, b]) => (a[0]?.length ?? 0) - (b[0]?.length ?? 0));
    for (const [key, list] of bySize) {
      while (list.length && this.freeElements + elements > limit) this.freeElements -= list.pop()!.length;
      if (!list.length) this.free.delete(key);
      if (this.freeElements + elements <= limit) return;
    }
  }
}

/** The smallest capacity, in granules, of the series 1, 2, 3, 4, 5, 7, 9, 12, … (each a quarter more) that holds `units`. */
function capacityUnits(units: number): number {
  let capacity = 1;
  while (capacity < units) capacity = Math.max(capacity + 1, Math.ceil(capacity * 1.25));
  return capacity;
}
