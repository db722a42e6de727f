// `npm start`: serves the demos and the benchmark page offline on the generated model, with the
// embedded state server (memory store) at /tabwise-state for demo 02's "every visitor" scope.
import { createStateServer } from '@tabwise/server';
import { startServer } from './server.js';

const port = Number(process.env.PORT ?? 8080);
const { url, server } = await startServer({ port, host: process.env.HOST ?? '127.0.0.1' });
const states = createStateServer({ server });
console.log(`tabwise demos:     ${url}/`);
console.log(`tabwise benchmark: ${url}/benchmarks/`);
console.log(`tabwise state:     ${url.replace(/^http/, 'ws')}/tabwise-state, in ${states.store.description}`);
console.log('Press Ctrl+C to stop.');
