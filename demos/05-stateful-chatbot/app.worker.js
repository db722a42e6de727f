// Demo 05: the seed's DialoGPT chatbot as your own function. The model loads once, outside the
// function; the chat history is Interface session state, so each tab (and each reload) has its own.
import { serve, Engine } from '/dist/tabwise-worker.js';

const options = new URL(import.meta.url).searchParams;
const session = 'chat';

// Not awaited: the page connects at once while the files download; the first call waits for them.
const engine = Engine.load({
  model: options.get('model') ?? '/models/tiny/',
  device: options.get('device') ?? 'auto',
  dtype: options.get('dtype') ?? 'auto',
  wasmPaths: new URL('/dist/', import.meta.url).href,
});

export const api = serve({
  chat: {
    fn: async (message, history) => {
      history = history ?? []; // the seed's `history = history or []`
      const model = await engine;
      const messages = history.flatMap(([user, bot]) => [
        { role: 'user', content: user },
        { role: 'assistant', content: bot },
      ]);
      // Reopen only when the engine's copy differs, so the KV cache carries over from turn to turn.
      if (!sameMessages(model, messages)) model.openSession(session, messages);
      const { reply } = await model.reply(session, message, { maxNewTokens: 40 });
      history.push([message, reply]);
      return [history, history];
    },
    inputs: ['text', 'state'],
    outputs: ['chatbot', 'state'],
  },
});

function sameMessages(model, messages) {
  try {
    return JSON.stringify(model.history(session)) === JSON.stringify(messages);
  } catch {
    return false; // no session yet
  }
}
