// Served functions that show the seed's state semantics one by one (tests/browser/functions.test.ts).
import { serve, State, global } from '/dist/tabwise-worker.js';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Module-level default: the test checks that mutating a tab's state never changes it. */
const listDefault = { items: [] };
let logDefaultCalls = 0;
const count = new State('count', 0);
const log = new State('log', () => {
  logDefaultCalls++;
  return [];
});
const scores = global('functions-test-scores', []);
/** Start and end of every `parallel` call, across calls (concurrency 3). */
const overlaps = [];

class OutOfCheeseError extends Error {
  name = 'OutOfCheeseError';
}

export const api = serve({
  // Interface, no default: the first call sees undefined (Gradio's None).
  remember: {
    fn: (text, previous) => [previous === undefined ? 'undefined' : previous, text],
    inputs: ['text', 'state'],
    outputs: ['text', 'state'],
  },
  // Interface with a default object, mutated in place by the function.
  collect: {
    fn: (item, list) => {
      list.items.push(item);
      return [list.items, list];
    },
    inputs: ['text', 'state'],
    outputs: ['json', 'state'],
    state: listDefault,
  },
  list_default: () => listDefault,
  // Interface for the element test: number in, json out, running total as state.
  tally: {
    fn: (n, total) => [{ added: n, total: total + n }, total + n],
    inputs: ['number', 'state'],
    outputs: ['json', 'state'],
    state: 0,
  },
  // Blocks: two named states, one with a callable default.
  step: {
    fn: (x, c, entries) => [x * 2, c + 1, [...entries, x]],
    inputs: ['number', count, log],
    outputs: ['number', count, log],
  },
  // Blocks: stores an equal value (no change event) or a new one.
  keep_count: { fn: (c) => c, inputs: [count], outputs: [count] },
  set_count: { fn: (value) => value, inputs: ['number'], outputs: [count] },
  log_default_calls: () => logDefaultCalls,
  // Global state: every tab appends, compare-and-set.
  track_score: {
    fn: async (score) => (await scores.update((all) => [...all, score])).sort((a, b) => b - a).slice(0, 3),
    inputs: ['number'],
    outputs: ['json'],
  },
  all_scores: () => scores.get(),
  // Concurrency: 1 by default, so calls run one after another, each seeing the state the last one left.
  slow: {
    fn: async (label, ms, order) => {
      order.push(`start ${label}`);
      await sleep(ms);
      order.push(`end ${label}`);
      return [label, order];
    },
    inputs: ['text', 'number', 'state'],
    outputs: ['text', 'state'],
    state: () => [],
  },
  parallel: {
    fn: async (label, ms) => {
      overlaps.push(`start ${label}`);
      await sleep(ms);
      overlaps.push(`end ${label}`);
      return label;
    },
    inputs: ['text', 'number'],
    outputs: ['text'],
    concurrency: 3,
  },
  overlaps: () => overlaps,
  // Errors: the function throws after mutating its copy of the state.
  boom: {
    fn: (n, list) => {
      list.push(n);
      throw new OutOfCheeseError(`out of cheese at ${n}`);
    },
    inputs: ['number', 'state'],
    outputs: ['json', 'state'],
    state: () => ['start'],
  },
  // Errors: a state that can't be cloned, on the second call.
  bad_state: {
    fn: (n, previous) => [previous, n === 1 ? n : { run: () => n }],
    inputs: ['number', 'state'],
    outputs: ['json', 'state'],
  },
  // The worker ends itself mid-call; the page must not wait forever.
  exit: () => {
    self.close();
    return new Promise(() => {});
  },
  wrong_shape: { fn: () => 'just one', inputs: ['state'], outputs: ['json', 'state'], state: 0 },
});
