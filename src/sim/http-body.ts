// Reads a request body up to a limit; both venues' HTTP APIs take small JSON bodies only, so
// anything larger is refused rather than buffered.

import type { IncomingMessage } from 'node:http';

/** Calls back with the body as text, or null when it exceeded `maxBytes`. */
export function readBody(
  request: IncomingMessage,
  maxBytes: number,
  done: (body: string | null) => void,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  request.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= maxBytes) chunks.push(chunk);
  });
  request.on('end', () => done(size > maxBytes ? null : Buffer.concat(chunks).toString('utf8')));
}
