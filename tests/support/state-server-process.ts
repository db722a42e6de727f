// A state server in its own process (scale-out and kill tests): the CLI, run from source.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { waitForPort } from './redis.ts';

const require = createRequire(import.meta.url);
const main = fileURLToPath(new URL('./state-server-main.ts', import.meta.url));

export interface StateServerProcess {
  readonly url: string;
  /** SIGKILL: no goodbye to the clients, as a crash. */
  kill(): Promise<void>;
  /** Starts it again on the same port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startStateServerProcess(port: number, args: string[]): Promise<StateServerProcess> {
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(process.execPath, ['--import', require.resolve('tsx'), main, '--port', String(port), ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
    await waitForPort(port, 'the state server process', 30_000);
  };
  const end = async (signal: NodeJS.Signals) => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill(signal);
    await exited;
  };
  await start();
  return {
    url: `ws://127.0.0.1:${port}/tabwise-state`,
    kill: () => end('SIGKILL'),
    restart: async () => {
      await end('SIGKILL');
      await start();
    },
    stop: () => end('SIGTERM'),
  };
}
