// `tabwise state-server [--port 8787] [--host 127.0.0.1] [--redis redis://…] [--allow-origin URL…] [--path /tabwise-state]`
import http from 'node:http';
import { parseArgs } from 'node:util';
import { MemoryStore } from './memory-store.js';
import { RedisStore } from './redis-store.js';
import { createStateServer } from './state-server.js';

const usage =
  'usage: tabwise state-server [--port 8787] [--host 127.0.0.1] [--redis redis://HOST:PORT] [--allow-origin URL]… [--allow-any-origin] [--path /tabwise-state]';

/** Runs until SIGINT/SIGTERM; resolves to the exit code. */
export async function runStateServerCli(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string', default: '8787' },
        host: { type: 'string', default: '127.0.0.1' },
        redis: { type: 'string' },
        'allow-origin': { type: 'string', multiple: true },
        'allow-any-origin': { type: 'boolean', default: false },
        path: { type: 'string', default: '/tabwise-state' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be an integer in [0, 65535], got ${values.port}\n${usage}`);
    return 2;
  }
  const store = values.redis ? await RedisStore.connect({ url: values.redis }) : new MemoryStore();
  const allowOrigins = values['allow-any-origin'] ? '*' : values['allow-origin'];
  const httpServer = http.createServer((_, response) => {
    response.writeHead(426, { 'Content-Type': 'text/plain' }).end('tabwise state server: connect with a WebSocket\n');
  });
  const states = createStateServer({ store, allowOrigins, server: httpServer, path: values.path });
  await new Promise<void>((resolve) => httpServer.listen(port, values.host, resolve));
  const address = httpServer.address() as { port: number };
  console.log(`tabwise state server: ws://${values.host}:${address.port}${values.path}`);
  console.log(`  store: ${store.description}`);
  console.log(`  origins: ${allowOrigins === '*' ? 'any' : allowOrigins?.join(', ') ?? 'pages of this host name'}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await states.close();
  await new Promise((resolve) => httpServer.close(resolve));
  return 0;
}
