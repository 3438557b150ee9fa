import { connect, type Socket } from 'node:net';

export interface RawExchange {
  /** Everything the server wrote back. */
  received: string;
  /** ms from the first byte sent until the server closed the connection. */
  closedAfterMs: number;
}

/**
 * Sends `head` on a bare TCP connection, then `trickle` one byte every `intervalMs` (a slowloris
 * client), and waits for the server to answer and/or close — up to `timeoutMs`.
 */
export function trickle(url: string, head: string, trickleBytes: string, intervalMs: number, timeoutMs: number): Promise<RawExchange> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket: Socket = connect(Number(port), hostname);
    let received = '';
    let position = 0;
    const ticker = setInterval(() => {
      if (position < trickleBytes.length && socket.writable) socket.write(trickleBytes[position++]);
    }, intervalMs);
    const giveUp = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept a trickling connection open for ${timeoutMs} ms; received: ${received}`));
    }, timeoutMs);
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(ticker);
      clearTimeout(giveUp);
      resolve({ received, closedAfterMs: performance.now() - started });
    });
    socket.write(head);
  });
}
