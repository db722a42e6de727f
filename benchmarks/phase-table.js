// The phase profile (packages/core/src/engine/phase-profile.ts) as a markdown table: one row per
// phase, in the order the phases were first met, one column per load or turn, then what no phase
// covers and the wall time. Shared by the Node profile script and the page run's printout.

/**
 * @param {Record<string, { totalMs: number, phases: Record<string, { ms: number, count: number }> }>} columns
 * @returns {string}
 */
export function phaseTable(columns) {
  const names = Object.keys(columns);
  const phases = [...new Set(names.flatMap((name) => Object.keys(columns[name].phases)))];
  const cell = (times, phase) => {
    const time = times.phases[phase];
    return time ? `${time.ms.toFixed(1)}${time.count > 1 ? ` (${time.count}×)` : ''}` : '—';
  };
  const covered = (times) => Object.values(times.phases).reduce((sum, time) => sum + time.ms, 0);
  return [
    `| phase, ms (spans) | ${names.join(' | ')} |`,
    `| --- |${names.map(() => ' ---: |').join('')}`,
    ...phases.map((phase) => `| ${phase} | ${names.map((name) => cell(columns[name], phase)).join(' | ')} |`),
    `| (no phase) | ${names.map((name) => (columns[name].totalMs - covered(columns[name])).toFixed(1)).join(' | ')} |`,
    `| **total** | ${names.map((name) => `**${columns[name].totalMs.toFixed(1)}**`).join(' | ')} |`,
  ].join('\n');
}
