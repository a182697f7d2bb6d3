/**
 * The load generator, in its own process so it never shares an event loop with the server.
 * autocannon runs as a library; each request carries a random cookie from the seeded list.
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { fail, reply } from '../infra/child.ts';

interface Init {
  url: string;
  cookieFile: string;
  connections: number;
}

let init: Init | null = null;
let cookies: string[] = [];

function run(durationSec: number, amount: number | undefined): Promise<autocannon.Result> {
  const { url, connections } = init as Init;
  return autocannon({
    url,
    connections,
    pipelining: 1,
    ...(amount ? { amount } : { duration: durationSec }),
    requests: [
      {
        method: 'GET',
        path: '/',
        setupRequest: (request) => {
          if (cookies.length === 0) return request;
          const cookie = cookies[Math.floor(Math.random() * cookies.length)] as string;
          return { ...request, headers: { ...request.headers, cookie } };
        },
      },
    ],
  });
}

type Message = { type: string; durationSec?: number; amount?: number } & Partial<Init>;

process.on('message', async (message: Message) => {
  try {
    if (message.type === 'init') {
      init = message as Init;
      const text = readFileSync(init.cookieFile, 'utf8');
      cookies = text ? text.split('\n') : [];
      reply({ type: 'ready' });
    } else if (message.type === 'run') {
      const result = await run(message.durationSec ?? 1, message.amount);
      reply({
        type: 'result',
        requests: result.requests.total,
        durationSec: result.duration,
        rps: result.requests.total / result.duration,
        p50: result.latency.p50,
        p99: result.latency.p99,
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
      });
    } else if (message.type === 'stop') {
      process.disconnect();
    }
  } catch (error) {
    fail(error);
  }
});
process.on('unhandledRejection', fail);
