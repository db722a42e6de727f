// One stage of `npm test` (the unit tests, or one engine's browser tests) as a child process with a
// deadline. CI kills the whole run at 90 minutes and prints nothing about why; a stage that runs past
// the run's budget is killed here instead, and the summary still says which stage it was. Processes
// a stage leaves behind (a browser whose close hung, a driver started detached) are found by a
// marker in their environment and killed, so they cannot slow the stages after it.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';

/**
 * Runs `command args` with `env` until it exits or `deadline` (epoch ms) passes; resolves to its
 * exit status (1 when killed) and whether it ran out of time.
 */
export async function runStage(command, args, env, deadline) {
  const marker = randomUUID();
  // detached: the stage is a process group of its own, so the kill reaches its test files too.
  const child = spawn(command, args, { stdio: 'inherit', env: { ...env, TABWISE_TEST_STAGE: marker }, detached: true });
  // If `npm test` itself is stopped (Ctrl-C, a CI kill), the stage goes with it.
  const forward = () => killGroup(child.pid);
  process.once('SIGINT', forward).once('SIGTERM', forward);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child.pid);
  }, Math.max(0, deadline - Date.now()));
  const status = await new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
  clearTimeout(timer);
  process.off('SIGINT', forward).off('SIGTERM', forward);
  killGroup(child.pid); // its test files, if the runner itself exited first
  return { status: timedOut ? 1 : status, timedOut, leftovers: killLeftovers(marker) };
}

function killGroup(pid) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Kills every process whose environment carries `marker`; returns their names, e.g. ['MiniBrowser ×2']. */
function killLeftovers(marker) {
  if (!existsSync('/proc')) return [];
  const needle = `TABWISE_TEST_STAGE=${marker}`;
  const names = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (!readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(needle)) continue;
      const name = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      process.kill(Number(entry), 'SIGKILL');
      names.set(name, (names.get(name) ?? 0) + 1);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return [...names].map(([name, count]) => (count > 1 ? `${name} ×${count}` : name));
}
