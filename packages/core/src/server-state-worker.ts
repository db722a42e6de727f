// The SharedWorker behind server-scoped global state: one per browser profile, holding one WebSocket
// per state server for every tab. Built to the stable name server-state-worker.js (a SharedWorker's
// identity is its script URL).
import { RelayHost } from './state/server/relay-host.js';

const host = new RelayHost();

globalThis.addEventListener('connect', (event) => {
  host.accept((event as MessageEvent).ports[0]);
});
