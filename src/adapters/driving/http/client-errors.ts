import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { problem } from './problem.js';

/** Node's own answers to what its HTTP parser refuses, by error code; anything else is a 400. */
const STATUS_OF: Record<string, [status: number, code: string, detail: string]> = {
  HPE_HEADER_OVERFLOW: [431, 'HTTP.HEADERS_TOO_LARGE', 'the request line and headers exceed 16 KB'],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, 'HTTP.CHUNK_EXTENSIONS_TOO_LARGE', 'the chunk extensions are too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'HTTP.REQUEST_TIMEOUT', 'the request took too long to arrive'],
};
const REASONS: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  413: 'Content Too Large',
  431: 'Request Header Fields Too Large',
};

/**
 * What Node's HTTP parser refuses before the app sees a request (a request line and headers over
 * 16 KB, malformed HTTP) is answered as every other refusal: an RFC 9457 problem document, instead
 * of Node's bare status line without a body. The connection is closed after it.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (err: Error & { code?: string }, socket: Socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const [status, code, detail] = STATUS_OF[err.code ?? ''] ?? [
      400,
      'HTTP.MALFORMED_REQUEST',
      'not a well-formed HTTP request',
    ];
    const body = JSON.stringify(problem(status, code, detail));
    socket.end(
      `HTTP/1.1 ${status} ${REASONS[status]}\r\n` +
        'Content-Type: application/problem+json\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Cache-Control: no-store\r\n' +
        'X-Content-Type-Options: nosniff\r\n' +
        "Content-Security-Policy: default-src 'none'; frame-ancestors 'none'\r\n" +
        'X-Frame-Options: DENY\r\n' +
        'Connection: close\r\n\r\n' +
        body,
    );
  });
}
