// The worker-free parts of served functions, in Node: declarations, deep comparison, the queue,
// parameter names, and the callable types connect() derives from serve()'s declarations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConcurrencyQueue } from '../../packages/core/src/functions/concurrency-queue.ts';
import { deepEqual } from '../../packages/core/src/functions/deep-equal.ts';
import { normalizeFunction } from '../../packages/core/src/functions/function-spec.ts';
import { parameterNames } from '../../packages/core/src/functions/parameter-names.ts';
import { State } from '../../packages/core/src/functions/state.ts';
import type { Callables, ServedApi } from '../../packages/core/src/functions/types.ts';

test('deepEqual compares structured-clone-able values by content', () => {
  assert.ok(deepEqual({ a: [1, { b: new Map([[1, new Set(['x'])]]) }] }, { a: [1, { b: new Map([[1, new Set(['x'])]]) }] }));
  assert.ok(deepEqual(Number.NaN, Number.NaN));
  assert.ok(deepEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2])));
  assert.ok(!deepEqual({ a: 1 }, { a: 1, b: undefined }));
  assert.ok(!deepEqual([1, 2], { 0: 1, 1: 2 }));
  assert.ok(!deepEqual(new Date(1), new Date(2)));
  assert.ok(!deepEqual(new Map([[1, 2]]), new Map([[1, 3]])));
});

test('ConcurrencyQueue runs at most `limit` tasks, starting them in arrival order', async () => {
  const order: string[] = [];
  const queue = new ConcurrencyQueue(2);
  // Each task ends when the test says so, not after a timer, so the order cannot depend on load.
  const finish = new Map<string, () => void>();
  const task = (label: string) =>
    queue.run(async () => (order.push(`+${label}`), await new Promise<void>((end) => finish.set(label, end)), order.push(`-${label}`)));
  const settled = () => new Promise((resolve) => setImmediate(resolve)); // every pending promise step has run
  const all = Promise.all(['a', 'b', 'c', 'd'].map(task));
  await settled();
  assert.deepEqual(order, ['+a', '+b'], 'two run, two wait');
  for (const label of ['b', 'c', 'd', 'a']) {
    finish.get(label)!();
    await settled();
  }
  await all;
  assert.deepEqual(order, ['+a', '+b', '-b', '+c', '-c', '+d', '-d', '-a']);
});

test('parameterNames reads arrow, function and default-valued parameters', () => {
  assert.deepEqual(parameterNames(async (score: number, history: unknown) => [score, history]), ['score', 'history']);
  assert.deepEqual(parameterNames(function track(a: number, b = 2) { return a + b; }), ['a', 'b']);
  assert.deepEqual(parameterNames(((x: number) => x) as (x: number) => number), ['x']);
  assert.deepEqual(parameterNames(({ a }: { a: number }) => a), [undefined]);
});

test('declarations: a State default is checked and copied when declared; a callable default is not called yet', () => {
  assert.throws(() => new State('bad', { f: () => 1 }), { name: 'StateValueError' });
  let calls = 0;
  const lazy = new State('lazy', () => (calls++, [] as number[]));
  assert.equal(calls, 0);
  assert.deepEqual(lazy.createDefault(), []);
  const list = [1];
  const copied = new State('copied', list);
  list.push(2);
  assert.deepEqual(copied.createDefault(), [1]);
  assert.throws(() => normalizeFunction('f', { fn: () => 0, concurrency: 0 }), { name: 'FunctionDeclarationError', message: /concurrency/ });
  assert.throws(() => normalizeFunction('f', { fn: () => 0, inputs: ['state'], outputs: ['json'] }), { message: /outputs has none/ });
  assert.equal(normalizeFunction('f', { fn: () => 0, inputs: ['text', 'state'], outputs: ['text', 'state'], concurrency: Infinity }).style, 'interface');
});

test('callable types: state inputs and outputs are dropped, one output comes back as itself', () => {
  const history = new State('history', [] as string[]);
  const declarations = {
    track: { fn: (score: number, mine: number[]) => [[score], mine] as [number[], number[]], inputs: ['number', 'state'], outputs: ['json', 'state'] },
    step: { fn: (x: number, h: string[], label: string) => [x * 2, h, label] as [number, string[], string], inputs: ['number', history, 'text'], outputs: ['number', history, 'text'] },
    hello: (name: string) => `hello ${name}`,
  } as const;
  type App = Callables<ServedApi<typeof declarations>>;
  const app = null as unknown as App;
  // Compile-time checks, never run: a wrong argument or result type fails `npx tsc`.
  const typed = async () => {
    const top: number[] = await app.track(1);
    const [doubled, label]: [number, string] = await app.step(2, 'x');
    const greeting: string = await app.hello('you');
    // @ts-expect-error the state is filled in by the worker, not passed
    await app.track(1, [2]);
    // @ts-expect-error a number input refuses a string
    await app.track('1');
    return [top, doubled, label, greeting];
  };
  assert.equal(typeof typed, 'function');
});
