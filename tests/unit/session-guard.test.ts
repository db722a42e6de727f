// A shared engine's access control in Node: two connections to one EngineHost over real
// MessagePorts (Comlink, as between tabs), each limited to the sessions it opened.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as Comlink from 'comlink';
import '../../packages/core/src/worker-errors.ts';
import { EngineHost } from '../../packages/core/src/chat/engine-host.ts';
import type { SharedConnectionApi } from '../../packages/core/src/chat/engine-worker-api.ts';
import { requireTinyModel } from '../support/tiny-model.ts';

const host = new EngineHost({ numThreads: 1 });
const request = { model: requireTinyModel(), device: 'wasm' as const, dtype: 'fp32' as const };
const ports: MessagePort[] = [];

function connect(): Comlink.Remote<SharedConnectionApi> {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  host.acceptConnection(port2, `tabwise-engine-client:unit-${ports.length}`);
  return Comlink.wrap<SharedConnectionApi>(port1 as unknown as Comlink.Endpoint);
}

let owner: Comlink.Remote<SharedConnectionApi>;
let intruder: Comlink.Remote<SharedConnectionApi>;

before(async () => {
  owner = connect();
  intruder = connect();
  await owner.load(request);
  await intruder.load(request);
});
after(async () => {
  for (const port of ports) port.close();
  owner?.[Comlink.releaseProxy]();
  intruder?.[Comlink.releaseProxy]();
});

test("a connection may not touch another connection's session; the session is untouched", async () => {
  await owner.openSession('a', []);
  await owner.reply('a', 'Hello, I am the owner.', { maxNewTokens: 3 });
  const before = await owner.history('a');
  const attempts: [keyof SharedConnectionApi, unknown[]][] = [
    ['history', ['a']],
    ['reply', ['a', 'Hijack', { maxNewTokens: 2 }]],
    ['abort', ['a']],
    ['reset', ['a']],
    ['undo', ['a']],
    ['closeSession', ['a']],
    ['openSession', ['a', []]],
    ['history', [undefined]],
  ];
  for (const [method, args] of attempts) {
    const call = (intruder[method] as unknown as (...args: unknown[]) => Promise<unknown>)(...args);
    await assert.rejects(call, { name: 'SessionAccessError' }, `${method} was refused`);
  }
  assert.deepEqual(await owner.history('a'), before);
  assert.equal((await host.memory()).sessions, 1);
});

test('a connection uses its own sessions freely, and closing one reports its own count', async () => {
  await intruder.openSession('b', []);
  const turn = await intruder.reply('b', 'My own session.', { maxNewTokens: 2 });
  assert.equal(turn.history.length, 2);
  assert.equal(await intruder.closeSession('b'), 0);
  await assert.rejects(intruder.history('b'), { name: 'SessionAccessError' }, 'a closed session is no longer the connection\'s');
});

test('a load request for another model is refused', async () => {
  await assert.rejects(intruder.load({ ...request, dtype: 'q8' }), { name: 'TypeError', message: /this shared engine serves/ });
});
