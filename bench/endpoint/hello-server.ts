/**
 * The baseline: Fastify answering a hello-world route, nothing else. Started as its own
 * process, like the endpoint, and prints its URL.
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.post('/hello', async () => ({ hello: 'world' }));
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
console.log(
  `hello: listening on http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
);
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
