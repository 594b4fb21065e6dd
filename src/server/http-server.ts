/**
 * The Fastify instance around the endpoint plugin, with the limits from the configuration:
 * body size, request timeout, and strict validation (no type coercion, no silently dropped
 * fields: a record is stored exactly as sent, or refused). The endpoint plugin is not
 * encapsulated (fastify-plugin), so its decorations (`app.store`, …) are the instance's.
 */
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';
import { assentApp } from './app.ts';
import type { ServerConfig } from './config.ts';
import { problem, type Problem } from './problem.ts';
import type { OpenedStore } from './store/open-store.ts';

export interface HttpServerOptions {
  logger?: FastifyServerOptions['logger'];
  /** A store opened elsewhere (tests); by default the configured one is opened. */
  store?: OpenedStore;
}

export async function createHttpServer(
  config: ServerConfig,
  options: HttpServerOptions = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: config.bodyLimit,
    requestTimeout: config.requestTimeoutMs,
    http: {
      // Node swaps the two deadlines when the one for headers is the longer (its default is
      // 60 s), so without this a request could take 60 s whatever requestTimeoutMs says; and it
      // looks for late requests only every connectionsCheckingInterval (30 s by default).
      requestTimeout: config.requestTimeoutMs,
      headersTimeout: config.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(1_000, config.requestTimeoutMs),
    },
    clientErrorHandler(error: NodeJS.ErrnoException, socket: Duplex) {
      answerClientError(error, socket, config.requestTimeoutMs);
    },
    connectionTimeout: config.requestTimeoutMs * 2,
    keepAliveTimeout: 5_000,
    trustProxy: config.trustProxy,
    // While closing, the app answers problem+json `shutting-down` itself (app.ts).
    return503OnClosing: false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false } },
  });
  try {
    await app.register(fp(assentApp), { config, ...(options.store ? { store: options.store } : {}) });
    await app.ready();
  } catch (error) {
    // What did open (the store, its folder lock) closes again: a failed start holds nothing.
    await app.close();
    throw error;
  }
  return app;
}

/**
 * What Node refuses before Fastify sees a request (one still arriving when its time is up,
 * headers too large, bytes that are not HTTP) is answered as problem details too, then the
 * connection is closed, as Node itself does. https://nodejs.org/api/http.html#event-clienterror
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex, timeoutMs: number): void {
  // A connection reset: nobody left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  let answer: Problem;
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT')
    answer = problem(
      'request-timeout',
      `the request did not arrive in full within ${timeoutMs} ms; nothing in it was stored`,
    );
  else if (error.code === 'HPE_HEADER_OVERFLOW')
    answer = problem('headers-too-large', 'the request headers are larger than 16 KiB');
  else answer = problem('malformed-request', 'the request is not valid HTTP/1.1');
  if (socket.writable) {
    const body = JSON.stringify(answer);
    socket.write(
      `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status]}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
