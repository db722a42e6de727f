// Types of readme-table.js, for the unit test that imports it.
export interface BenchmarkRow { metric: string; tabwise: string; transformers: string; ratio: string; target: string; met: string }
export interface BenchmarkReport { rows: BenchmarkRow[]; notes: string[] }
export const referenceFile: string;
export const beginMarker: string;
export const endMarker: string;
export function performanceBlock(report: BenchmarkReport): string;
export function withPerformanceBlock(readme: string, report: BenchmarkReport): string;
export function readReference(): BenchmarkReport;
