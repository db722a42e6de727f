// Bad input to global state, through each strategy: named TypeErrors, nothing stored, errors from
// update() functions reach the caller, and a corrupt persisted record falls back to the default.
import { describe } from 'node:test';
import assert from 'node:assert/strict';
import { browserSuite } from '../support/browser.ts';
import { statePage, type StateOptions } from './global-state-pages.ts';

browserSuite('global state bad input', {}, (env) => {
  const timeout = 180_000; // a hang guard, several times an idle run: a loaded 2-core box is that much slower

  env.test('a key or name that is not a non-empty string, or an uncloneable default, is a TypeError', { timeout }, async () => {
    const page = await statePage(await env.newContext(), env.server.url);
    const errors = await page.evaluate(() => {
      const attempt = (...args: unknown[]) => {
        try {
          window.tabwise.createGlobalState(...args);
          return 'no error';
        } catch (error) {
          return `${error instanceof TypeError} ${(error as Error).name}: ${(error as Error).message}`;
        }
      };
      return [attempt(42, 0), attempt('', 0), attempt(null, 0), attempt('k', 0, { name: '' }), attempt('fn-default', () => 1)];
    });
    assert.match(errors[0], /^true GlobalStateKeyError: .*key must be a non-empty string, got number/);
    assert.match(errors[1], /^true GlobalStateKeyError: .*got an empty string/);
    assert.match(errors[2], /^true GlobalStateKeyError: .*got null/);
    assert.match(errors[3], /^true GlobalStateKeyError: .*name must be/);
    assert.match(errors[4], /^true GlobalStateValueError: .*"fn-default" cannot be cloned/);
  });

  const strategies: StateOptions[] = [{}, { transport: 'broadcast-channel' }, { transport: 'in-tab' }];

  for (const options of strategies) {
    describe(`through ${options.transport ?? 'the default strategy'}`, () => {
      env.test('uncloneable values and throwing update functions leave the stored value unchanged', { timeout }, async () => {
        const page = await statePage(await env.newContext(), env.server.url);
        const outcome = await page.evaluate(async (options) => {
          const describe = (result: PromiseSettledResult<unknown>): string | number =>
            result.status === 'fulfilled'
              ? (result.value as number)
              : `${result.reason instanceof TypeError ? 'TypeError ' : ''}${result.reason.name}: ${result.reason.message}`;
          const state = window.tabwise.createGlobalState('precious', 0, options);
          await state.set(1);
          const single = await Promise.allSettled([
            state.set(() => 2),
            state.set({ node: document.body }),
            state.update(() => () => 3),
            state.update(() => {
              throw new RangeError('no thanks');
            }),
            state.update('not a function'),
          ]);
          const afterSingle = { value: await state.get(), version: (await state.stats()).version };
          // Queued together, the good updates still commit around the bad ones.
          const mixed = await Promise.allSettled([
            state.update((n: number) => n + 1),
            state.update(async () => {
              throw new RangeError('async no');
            }),
            state.update((n: number) => n + 1),
            state.update(() => Symbol('not cloneable')),
          ]);
          return {
            single: single.map(describe),
            afterSingle,
            mixed: mixed.map(describe),
            afterMixed: { value: await state.get(), version: (await state.stats()).version },
          };
        }, options);
        assert.match(String(outcome.single[0]), /^TypeError GlobalStateValueError: .*"precious" cannot be cloned/);
        assert.match(String(outcome.single[1]), /^TypeError GlobalStateValueError: .*"precious" cannot be cloned/);
        assert.match(String(outcome.single[2]), /^TypeError GlobalStateValueError: .*"precious" cannot be cloned/);
        assert.equal(outcome.single[3], 'RangeError: no thanks');
        assert.match(String(outcome.single[4]), /^TypeError TypeError: .*needs a function/);
        assert.deepEqual(outcome.afterSingle, { value: 1, version: 1 });
        assert.equal(outcome.mixed[0], 2);
        assert.equal(outcome.mixed[1], 'RangeError: async no');
        assert.equal(outcome.mixed[2], 3);
        assert.match(String(outcome.mixed[3]), /^TypeError GlobalStateValueError: .*"precious"/);
        assert.deepEqual(outcome.afterMixed, { value: 3, version: 3 });
        assert.deepEqual((await page.errors()), []);
      });

      env.test('a corrupt persisted record gives the default and a warning naming the key', { timeout }, async () => {
        const page = await statePage(await env.newContext(), env.server.url);
        const outcome = await page.evaluate(async (options) => {
          // Write a record the way the store would, minus a valid version and value.
          await new Promise<void>((resolve, reject) => {
            const request = indexedDB.open('tabwise-global-state', 1);
            request.onupgradeneeded = () => request.result.createObjectStore('values', { keyPath: ['name', 'key'] });
            request.onerror = () => reject(request.error);
            request.onsuccess = () => {
              const transaction = request.result.transaction('values', 'readwrite');
              transaction.objectStore('values').put({ name: 'default', key: 'broken-record', version: 'seven' });
              transaction.oncomplete = () => (request.result.close(), resolve());
              transaction.onerror = () => reject(transaction.error);
            };
          });
          const state = window.tabwise.createGlobalState('broken-record', { fine: true }, { ...options, persist: true });
          const loaded = await state.get();
          await state.set({ fine: 'again' });
          return { loaded, repaired: await state.get() };
        }, options);
        assert.deepEqual(outcome, { loaded: { fine: true }, repaired: { fine: 'again' } });
        assert.ok(
          (await page.warnings()).some((warning) => warning.includes('"broken-record"') && warning.includes('corrupt')),
          `warnings: ${(await page.warnings()).join('\n')}`,
        );
      });
    });
  }
});
