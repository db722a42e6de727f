// One tab of the global-state benchmark. Loaded as a same-origin frame of the benchmark page, it
// imports its own copy of the bundle, so it connects to the global store as a tab of its own would.
// The page drives it through window.stateTab.
import { createGlobalState } from '../dist/tabwise.js';

/** Milliseconds on a clock every frame (and every tab) of the origin shares. */
const now = () => performance.timeOrigin + performance.now();

const states = new Map();
function state(key, name, initial) {
  const id = `${name}/${key}`;
  if (!states.has(id)) states.set(id, createGlobalState(key, initial, { name }));
  return states.get(id);
}

window.stateTab = {
  /** Subscribes to `key`; calls `onArrival(seq, latencyMs)` for every value another tab sets. Resolves to the transport once subscribed. */
  listen(key, name, onArrival) {
    const probe = state(key, name, { seq: -1, sentAt: 0 });
    return new Promise((subscribed) => {
      probe.subscribe((value) => {
        subscribed(probe.transport);
        if (value.seq >= 0) onArrival(value.seq, now() - value.sentAt);
      });
    });
  },

  /** Sets `key` to a value stamped with the time it was set. */
  send(key, name, seq) {
    return state(key, name, { seq: -1, sentAt: 0 }).set({ seq, sentAt: now() });
  },

  /** update(n => n + 1) one after another from `from` until `until` (ms on the shared clock); resolves to how many committed. */
  async contend(key, name, from, until) {
    const counter = state(key, name, 0);
    await counter.get();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, from - now())));
    let committed = 0;
    while (now() < until) {
      await counter.update((n) => n + 1);
      committed++;
    }
    return committed;
  },

  read(key, name, initial) {
    return state(key, name, initial).get();
  },

  now,
};
document.body.dataset.ready = 'true';
