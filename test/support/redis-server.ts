import { connect } from 'node:net';

export const LOCAL_REDIS_URL = 'redis://127.0.0.1:6379';

/** Whether the machine's Redis answers (CI starts one; a fresh machine with only Node has none). */
export function redisAnswers(url = LOCAL_REDIS_URL): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port || 6379), hostname);
    socket.setTimeout(1_000);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('timeout', () => socket.destroy());
    socket.once('error', () => resolve(false));
    socket.once('close', () => resolve(false));
  });
}
