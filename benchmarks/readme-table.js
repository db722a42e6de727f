// Writes the README's performance table and notes from the committed reference result, so the two
// cannot drift apart (tests/unit/readme-performance.test.ts fails when they do).
//   node benchmarks/readme-table.js           rewrite README.md between the markers
//   node benchmarks/readme-table.js --check   exit 1 if README.md differs from the reference
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const referenceFile = 'benchmarks/results/reference-small-fp32-q8-2core.json';
export const beginMarker = `<!-- performance table: written by \`node benchmarks/readme-table.js\` from ${referenceFile} -->`;
export const endMarker = '<!-- end of performance table -->';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The table (metric, both engines, ratio, target met?) and the notes as bullets. */
export function performanceBlock(report) {
  const table = [
    '| metric | tabwise | transformers.js | ratio | target met? |',
    '| --- | --- | --- | --- | --- |',
    ...report.rows.map((row) => `| ${[row.metric, row.tabwise, row.transformers, row.ratio, row.met].join(' | ')} |`),
  ];
  return [...table, '', ...report.notes.map((note) => `- ${note}`)].join('\n');
}

/** `readme` with the text between the markers replaced by the block for `report`. */
export function withPerformanceBlock(readme, report) {
  const begin = readme.indexOf(beginMarker);
  const end = readme.indexOf(endMarker);
  if (begin < 0 || end < begin) throw new Error(`README.md lacks the markers ${beginMarker} … ${endMarker}`);
  return `${readme.slice(0, begin + beginMarker.length)}\n${performanceBlock(report)}\n${readme.slice(end)}`;
}

export function readReference() {
  return JSON.parse(readFileSync(`${root}/${referenceFile}`, 'utf8'));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const path = `${root}/README.md`;
  const readme = readFileSync(path, 'utf8');
  const updated = withPerformanceBlock(readme, readReference());
  if (process.argv.includes('--check')) {
    if (updated !== readme) {
      console.error(`README.md's performance table differs from ${referenceFile}; run node benchmarks/readme-table.js`);
      process.exitCode = 1;
    }
  } else if (updated !== readme) {
    writeFileSync(path, updated);
    console.log(`README.md: performance table written from ${referenceFile}`);
  }
}
