// Declarations serve() refuses, one per `?case=`: connect() rejects with the named error.
import { serve, State } from '/dist/tabwise-worker.js';

const echo = (...args) => args;
const cases = {
  'two-states': { chat: { fn: echo, inputs: ['text', 'state', 'state'], outputs: ['chatbot', 'state'] } },
  'state-not-last': { chat: { fn: echo, inputs: ['state', 'text'], outputs: ['chatbot', 'state'] } },
  'uncloneable-default': { chat: { fn: echo, inputs: ['text', 'state'], outputs: ['text', 'state'], state: { now: () => 1 } } },
  'mixed-styles': { chat: { fn: echo, inputs: ['text', 'state', new State('a', 1)], outputs: ['text', 'state'] } },
  'unknown-component': { chat: { fn: echo, inputs: ['slider'] } },
  reserved: { close: echo },
};

serve(cases[new URL(import.meta.url).searchParams.get('case')]);
