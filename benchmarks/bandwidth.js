// This machine's memory read bandwidth, measured in Node: Buffer.compare() of two equal buffers is a
// memcmp that reads both to the end, one thread, far larger than any CPU cache. Best of a few rounds,
// since the question is what the memory can deliver, not what a busy moment left over.

/** @returns {{ gbPerSecond: number, samplesGBs: number[], method: string }} */
export function measureReadBandwidth({ megabytes = 512, rounds = 5 } = {}) {
  const size = megabytes * 1024 * 1024;
  const a = Buffer.alloc(size, 7); // filled, so every page is really mapped
  const b = Buffer.alloc(size, 7);
  Buffer.compare(a, b); // warm-up
  const samplesGBs = [];
  for (let i = 0; i < rounds; i++) {
    const start = process.hrtime.bigint();
    if (Buffer.compare(a, b) !== 0) throw new Error('the buffers differ');
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    samplesGBs.push((2 * size) / seconds / 1e9);
  }
  return {
    gbPerSecond: Math.max(...samplesGBs),
    samplesGBs,
    method: `Buffer.compare of two equal ${megabytes} MiB buffers (memcmp, one thread), best of ${rounds}`,
  };
}
