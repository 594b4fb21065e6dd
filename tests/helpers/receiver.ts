/**
 * A webhook receiver on 127.0.0.1 for tests: keeps every delivery (headers and raw body) and
 * answers with the statuses a test queues (200 once the queue is empty).
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Receiver {
  url: string;
  deliveries: Delivery[];
  /** Statuses for the next deliveries, in turn. */
  answers: number[];
  /** Milliseconds to wait before each answer. */
  delayMs: number;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const receiver = { deliveries: [] as Delivery[], answers: [] as number[], delayMs: 0 };
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      setTimeout(() => {
        const status = receiver.answers.shift() ?? 200;
        if (status >= 200 && status < 300) receiver.deliveries.push({ headers: request.headers, body });
        response.writeHead(status).end();
      }, receiver.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/hooks`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
