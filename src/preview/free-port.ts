/**
 * A TCP port on 127.0.0.1 that nothing listens on right now, for servers the tools start
 * beside each other (astro dev for the tests and bench/dev, throwaway PostgreSQL servers).
 *
 *   const port = await freePort();
 */
import { createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
