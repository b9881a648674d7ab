// An async fan-out against a local HTTP server on 127.0.0.1: concurrency, not parallelism. One thread
// issues many requests and waits for them together; the time saved is waiting, not computing, so no
// worker threads are involved. Run: npx tsx examples/http-fan-out.ts

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { reportTime } from './timing';

/** A server that answers /item/N after `delayMs` with a small JSON body, like a slow backend. */
export function startServer(delayMs: number): Promise<{ server: Server; baseUrl: string }> {
  const server = createServer((request, response) => {
    const id = Number(request.url?.split('/').pop());
    setTimeout(() => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ id, square: id * id }));
    }, delayMs);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, baseUrl: `http://127.0.0.1:${port}` });
    });
  });
}

async function fetchItem(baseUrl: string, id: number): Promise<{ id: number; square: number }> {
  const response = await fetch(`${baseUrl}/item/${id}`);
  if (!response.ok) throw new Error(`GET /item/${id} answered ${response.status}`);
  return (await response.json()) as { id: number; square: number };
}

export async function fetchSequential(baseUrl: string, ids: number[]): Promise<number[]> {
  const squares: number[] = [];
  for (const id of ids) {
    const item = await fetchItem(baseUrl, id);
    squares.push(item.square);
  }
  return squares;
}

/** At most `limit` requests in flight: a polite fan-out rather than one burst of thousands. */
export async function fetchConcurrent(baseUrl: string, ids: number[], limit: number): Promise<number[]> {
  const squares = new Array<number>(ids.length);
  let next = 0;
  const lane = async () => {
    while (next < ids.length) {
      const index = next++;
      squares[index] = (await fetchItem(baseUrl, ids[index])).square;
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, ids.length) }, lane));
  return squares;
}

async function main(): Promise<void> {
  const { server, baseUrl } = await startServer(20);
  try {
    const ids = Array.from({ length: 60 }, (_, i) => i);
    await fetchItem(baseUrl, 0); // open the connection pool outside the timing
    const sequential = await reportTime('sequential awaits', () => fetchSequential(baseUrl, ids));
    const concurrent = await reportTime('concurrent (16)  ', () => fetchConcurrent(baseUrl, ids, 16));
    const equal = JSON.stringify(sequential.value) === JSON.stringify(concurrent.value);
    console.log(`${ids.length} requests of 20 ms; sum of squares ${concurrent.value.reduce((a, b) => a + b, 0)}; equal: ${equal}`);
    console.log(`speedup ${(sequential.ms / concurrent.ms).toFixed(1)}x on one thread: waiting overlapped, nothing ran in parallel`);
  } finally {
    server.close();
  }
}

if (require.main === module) void main();
