// Demo 04: the seed's score tracker as your own function in your own worker. `scores` lives outside
// the function, like Gradio's module-level `scores = []`, so every tab appends to the same list.
import { serve, global } from '/dist/tabwise-worker.js';

const scores = global('demo-04-scores', []);

export const api = serve({
  track_score: {
    // update() is compare-and-set: scores sent from two tabs at the same moment are both kept.
    fn: async (score) => {
      const all = await scores.update((previous) => [...previous, score]);
      return [...all].sort((a, b) => b - a).slice(0, 3);
    },
    inputs: ['number'],
    outputs: ['json'],
  },
});
