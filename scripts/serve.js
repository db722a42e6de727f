// `npm start`: serves the demos and the benchmark page offline on the generated model.
import { startServer } from './server.js';

const port = Number(process.env.PORT ?? 8080);
const { url } = await startServer({ port, host: process.env.HOST ?? '127.0.0.1' });
console.log(`tabwise demos:     ${url}/`);
console.log(`tabwise benchmark: ${url}/benchmarks/`);
console.log('Press Ctrl+C to stop.');
