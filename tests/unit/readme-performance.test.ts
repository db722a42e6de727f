// The README's performance table is generated from the committed reference result; this fails when
// someone edits one without the other (fix: node benchmarks/readme-table.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { performanceBlock, readReference, withPerformanceBlock } from '../../benchmarks/readme-table.js';

test('README.md shows exactly the reference result\'s table and notes', () => {
  const readme = readFileSync('README.md', 'utf8');
  const reference = readReference();
  assert.equal(withPerformanceBlock(readme, reference), readme, 'run node benchmarks/readme-table.js');
  // The check can fail: a changed figure in the reference makes another README.
  const changed = { ...reference, rows: [{ ...reference.rows[0], tabwise: `${reference.rows[0].tabwise}0` }, ...reference.rows.slice(1)] };
  assert.notEqual(withPerformanceBlock(readme, changed), readme);
  assert.ok(readme.includes(performanceBlock(reference)));
});
