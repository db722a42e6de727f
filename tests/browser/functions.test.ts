// Served functions in every engine: a user's worker module calls serve(), pages call connect(), and
// the seed's state semantics hold one by one (tests/pages/functions/semantics.worker.js).
import assert from 'node:assert/strict';
import { browserSuite, type EngineContext, type TestPage } from '../support/browser.ts';

declare global {
  interface Window {
    /* eslint-disable @typescript-eslint/no-explicit-any */
    app: any;
    changes: any[];
    connectTo(file: string, options?: object): Promise<any>;
    /* eslint-enable @typescript-eslint/no-explicit-any */
  }
}

browserSuite('functions', {}, (env) => {
  const timeout = 120_000; // a hang guard, several times an idle run: a loaded 2-core box is that much slower
  const path = '/tests/pages/functions/index.html';

  async function functionsPage(context: EngineContext): Promise<TestPage> {
    const page = await context.newPage(env.url(path));
    await page.waitForSelector('body[data-ready]', { what: 'the functions test page to import the library' });
    return page;
  }

  /** Connects the page to semantics.worker.js as window.app. */
  async function connect(page: TestPage): Promise<void> {
    await page.evaluate(async () => {
      window.app = await window.connectTo('./semantics.worker.js');
    });
  }

  /** A page connected to semantics.worker.js as window.app. */
  async function connectedPage(context: EngineContext): Promise<TestPage> {
    const page = await functionsPage(context);
    await connect(page);
    return page;
  }

  /** Calls app[name](...args) in the page; resolves to the result or to the error's name, message and TypeError-ness. */
  function call(page: TestPage, name: string, ...args: unknown[]): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
    return page.evaluate(
      async ({ name, args }) => {
        try {
          return { value: await window.app[name](...args) };
        } catch (error) {
          const { name, message } = error as Error;
          return { error: { name, message, typeError: error instanceof TypeError } };
        }
      },
      { name, args },
    );
  }

  const value = async (page: TestPage, name: string, ...args: unknown[]) => {
    const result = await call(page, name, ...args);
    assert.ok(!result.error, `${name}() failed: ${JSON.stringify(result.error)}`);
    return result.value;
  };

  env.test('session state defaults to undefined (the seed\'s None), then holds what the function returned', { timeout }, async () => {
    const context = await env.newContext();
    const page = await connectedPage(context);
    assert.equal(await value(page, 'remember', 'first'), 'undefined');
    assert.equal(await value(page, 'remember', 'second'), 'first');
    assert.deepEqual(await page.evaluate(() => window.app.session()), { remember: 'second' });
  });

  env.test('a default value is deep-copied per tab: mutating one tab\'s state reaches neither the default nor another tab', { timeout }, async () => {
    const context = await env.newContext();
    const [a, b] = await Promise.all([connectedPage(context), connectedPage(context)]);
    assert.deepEqual(await value(a, 'collect', 'x'), ['x']);
    assert.deepEqual(await value(a, 'collect', 'y'), ['x', 'y']);
    assert.deepEqual(await value(b, 'collect', 'z'), ['z']);
    assert.deepEqual(await value(a, 'list_default'), { items: [] });
    assert.deepEqual(await value(b, 'list_default'), { items: [] });
  });

  env.test('Blocks: two named states passed in and stored from outputs; a callable default runs once per tab', { timeout }, async () => {
    const context = await env.newContext();
    const [a, b] = await Promise.all([connectedPage(context), connectedPage(context)]);
    assert.deepEqual([await value(a, 'step', 1), await value(a, 'step', 2), await value(a, 'step', 3)], [2, 4, 6]);
    assert.deepEqual(await a.evaluate(() => window.app.session()), { count: 3, log: [1, 2, 3] });
    assert.equal(await value(a, 'log_default_calls'), 1);
    assert.equal(await value(b, 'log_default_calls'), 0, 'the default runs on first use');
    await value(b, 'step', 10);
    assert.deepEqual(await b.evaluate(() => window.app.session()), { count: 1, log: [10] });
    assert.equal(await value(b, 'log_default_calls'), 1);
    const described = await a.evaluate(() => window.app.functions.find((f: { name: string }) => f.name === 'step'));
    assert.deepEqual(described, { name: 'step', style: 'blocks', inputs: ['number', 'state', 'state'], outputs: ['number', 'state', 'state'], states: ['count', 'log'], parameters: ['x'], concurrency: 1 });
  });

  env.test('a state change event fires only when the stored value changed (deep comparison)', { timeout }, async () => {
    const context = await env.newContext();
    const page = await connectedPage(context);
    await page.evaluate(() => {
      window.changes = [];
      window.app.addEventListener('change', (event: any) => window.changes.push([event.state, event.value]));
    });
    await value(page, 'step', 4); // count 0 → 1, log [] → [4]
    await value(page, 'keep_count'); // 1 → 1: no event
    await value(page, 'set_count', 1); // 1 → 1: no event
    await value(page, 'collect', 'x'); // {items: []} → {items: ['x']}
    await value(page, 'set_count', 7); // 1 → 7
    // Events reach the page in the order the worker stored the values: a last change that is awaited
    // comes after any late, wrong event of the calls before it.
    await value(page, 'set_count', 8); // 7 → 8
    const changes = await page.waitForFunction(() => window.changes.some(([state, value]) => state === 'count' && value === 8) && window.changes, undefined, {
      what: 'the change event of set_count(8)',
    });
    assert.deepEqual(changes, [
      ['count', 1],
      ['log', [4]],
      ['collect', { items: ['x'] }],
      ['count', 7],
      ['count', 8],
    ]);
  });

  env.test('a reload starts every session state afresh', { timeout }, async () => {
    const context = await env.newContext();
    const page = await connectedPage(context);
    await value(page, 'tally', 5);
    assert.deepEqual(await value(page, 'tally', 2), { added: 2, total: 7 });
    await page.goto(env.url(path)); // a reload: the same page, in the same tab
    await page.waitForSelector('body[data-ready]', { what: 'the reloaded page to import the library' });
    assert.equal(await page.evaluate(() => window.app === undefined), true, 'a new document, not the one that was connected');
    await connect(page);
    assert.deepEqual(await value(page, 'tally', 2), { added: 2, total: 2 });
  });

  env.test('global state: one list shared by every page, concurrent appends all kept (compare-and-set)', { timeout }, async () => {
    const context = await env.newContext();
    const pages = await Promise.all([connectedPage(context), connectedPage(context)]);
    await Promise.all(
      pages.map((page, p) => page.evaluate((p) => Promise.all(Array.from({ length: 10 }, (_, i) => window.app.track_score(p * 100 + i))), p)),
    );
    const all: number[] = await value(pages[0], 'all_scores');
    assert.equal(all.length, 20);
    assert.deepEqual(await value(pages[1], 'track_score', -1), [109, 108, 107]);
    assert.deepEqual(await value(pages[0], 'track_score', 500), [500, 109, 108]);
  });

  env.test('concurrency 1 by default: calls of one function run one at a time, in order; concurrency 3 overlaps', { timeout }, async () => {
    const context = await env.newContext();
    const page = await connectedPage(context);
    const labels = await page.evaluate(() => Promise.all([window.app.slow('a', 80), window.app.slow('b', 10), window.app.slow('c', 0)]));
    assert.deepEqual(labels, ['a', 'b', 'c']);
    assert.deepEqual((await page.evaluate(() => window.app.session())).slow, ['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    await page.evaluate(() => Promise.all([window.app.parallel('a', 80), window.app.parallel('b', 40), window.app.parallel('c', 0)]));
    assert.deepEqual(await value(page, 'overlaps'), ['start a', 'start b', 'start c', 'end c', 'end b', 'end a']);
  });

  env.test('bad calls: unknown function lists the served names; argument count or type is a TypeError naming the parameter', { timeout }, async () => {
    const context = await env.newContext();
    const page = await connectedPage(context);
    const unknown = (await call(page, 'call', 'nope', 1)).error;
    assert.equal(unknown.name, 'UnknownFunctionError');
    assert.match(unknown.message, /no function "nope" \(it serves "remember", "collect", .*"tally"/);

    await value(page, 'tally', 1);
    for (const [args, message] of [
      [[], /tally\(n\) is missing the argument "n" \(a finite number\)/],
      [[1, 2], /tally\(n\) takes 1 argument, got 2/],
      [['5'], /"n" must be a finite number, got a string/],
    ] as const) {
      const { error } = await call(page, 'tally', ...args);
      assert.equal(error?.name, 'FunctionArgumentError', JSON.stringify(args));
      assert.equal(error.typeError, true);
      assert.match(error.message, message);
    }
    // NaN does not survive the trip into the page as an argument (JSON): the page makes it itself.
    const nan = await page.evaluate(() => window.app.tally(Number.NaN).then(() => undefined, (error: Error) => ({ name: error.name, message: error.message, typeError: error instanceof TypeError })));
    assert.equal(nan?.name, 'FunctionArgumentError');
    assert.equal(nan.typeError, true);
    assert.match(nan.message, /"n" must be a finite number, got NaN/);
    assert.deepEqual(await value(page, 'tally', 1), { added: 1, total: 2 }, 'refused calls left the state alone');
  });

  env.test('a function that throws: the error reaches the caller by name, session state unchanged', { timeout }, async () => {
    const context = await env.newContext();
    const page = await connectedPage(context);
    const { error } = await call(page, 'boom', 3);
    assert.deepEqual(error, { name: 'OutOfCheeseError', message: 'out of cheese at 3', typeError: false });
    assert.deepEqual((await page.evaluate(() => window.app.session())).boom, ['start']);

    assert.equal(await value(page, 'bad_state', 1), undefined);
    const refused = (await call(page, 'bad_state', 2)).error;
    assert.equal(refused.name, 'StateValueError');
    assert.equal(refused.typeError, true);
    assert.match(refused.message, /session state "bad_state" cannot be cloned/);
    assert.equal((await page.evaluate(() => window.app.session())).bad_state, 1, 'the old state is kept');

    const shape = (await call(page, 'wrong_shape')).error;
    assert.equal(shape.name, 'FunctionOutputError');
    assert.match(shape.message, /must return an array of 2 values \(json, state "wrong_shape"\), got a string/);
    assert.deepEqual(await page.errors(), []);
  });

  env.test('declarations serve() refuses: connect() rejects with the named error (two states on an Interface → use Blocks)', { timeout }, async () => {
    const context = await env.newContext();
    const page = await functionsPage(context);
    const expected: Record<string, [string, RegExp]> = {
      'two-states': ['FunctionDeclarationError', /an Interface takes exactly one 'state' input, got 2\. For several session states use Blocks/],
      'state-not-last': ['FunctionDeclarationError', /'state' must be the last of the inputs/],
      'uncloneable-default': ['StateValueError', /default for session state "chat" cannot be cloned/],
      'mixed-styles': ['FunctionDeclarationError', /mixes the Interface 'state' with Blocks State values/],
      'unknown-component': ['FunctionDeclarationError', /"slider", which is neither a State nor one of text, number, json, chatbot, state/],
      reserved: ['FunctionDeclarationError', /cannot be named "close"/],
    };
    for (const [name, [errorName, message]] of Object.entries(expected)) {
      const error = await page.evaluate(async (name) => {
        try {
          await window.connectTo(`./declaration.worker.js?case=${name}`);
          return undefined;
        } catch (error) {
          return { name: (error as Error).name, message: (error as Error).message, typeError: error instanceof TypeError };
        }
      }, name);
      assert.equal(error?.name, errorName, name);
      assert.equal(error.typeError, true, name);
      assert.match(error.message, message, name);
    }
  });

  env.test('a worker that dies mid-call fails that call and every later one with WorkerCrashedError', { timeout }, async () => {
    const context = await env.newContext();
    const page = await connectedPage(context);
    const { error } = await call(page, 'exit');
    assert.equal(error?.name, 'WorkerCrashedError');
    assert.equal((await call(page, 'tally', 1)).error?.name, 'WorkerCrashedError');
    assert.equal(await page.evaluate(() => window.app.alive), false);
    const missing = await page.evaluate(() => window.connectTo('./no-such.worker.js').then(() => 'connected', (error: Error) => error.name));
    assert.equal(missing, 'WorkerCrashedError');
  });
});
