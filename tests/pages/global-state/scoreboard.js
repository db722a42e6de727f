// The seed's global state example: every tab appends its scores to one shared list and shows the
// live top 3. ?transport= forces a strategy, ?name= picks a store.
import { createGlobalState } from '/dist/tabwise.js';

const params = new URLSearchParams(location.search);
const scores = createGlobalState('scores', [], {
  name: params.get('name') ?? 'scoreboard',
  transport: params.get('transport') ?? undefined,
});
const list = document.getElementById('top3');

scores.subscribe((all) => {
  const top = [...all].sort((a, b) => b - a).slice(0, 3);
  list.replaceChildren(...top.map((score) => Object.assign(document.createElement('li'), { textContent: String(score) })));
  list.dataset.count = String(all.length);
});

window.submitScore = (score) => scores.update((all) => [...all, score]);
document.body.dataset.ready = 'true';
