// Numbers as the elements show them.

const megabyte = 1024 * 1024;

/** Bytes as megabytes: "12.3 MB" (one decimal below 100 MB). */
export function formatMegabytes(bytes: number): string {
  const mb = bytes / megabyte;
  return `${mb >= 100 ? Math.round(mb) : mb.toFixed(1)} MB`;
}

/** A whole percentage of `part` in `whole`, 0 when the whole is unknown. */
export function percentOf(part: number, whole: number): number {
  return whole > 0 ? Math.min(100, Math.round((part / whole) * 100)) : 0;
}

/** A duration: "45 ms" below a second, "1.2 s" above. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** A rate: "38.2 tokens/s". */
export function formatRate(tokensPerSecond: number): string {
  return Number.isFinite(tokensPerSecond) && tokensPerSecond > 0 ? `${tokensPerSecond.toFixed(1)} tokens/s` : '—';
}
