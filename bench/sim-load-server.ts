// Child process of the sim load bench: serves either the simulator in load mode or a bare `ws`
// server pushing one pre-built frame as fast as the socket drains (the transport's ceiling).
// Prints {"url": …, "channels": […]} once listening, then runs until killed.

import { WebSocketServer, type WebSocket } from 'ws';
import { startSim } from '../src/sim/server.js';

const [mode = 'sim', rateText = '200000', venue = 'deribit'] = process.argv.slice(2);
const rate = Number(rateText);

async function main(): Promise<void> {
  if (mode === 'bare') {
    await bare();
    return;
  }
  const sim = await startSim({ manualClock: true, seed: 1, loadRate: rate, currencies: ['BTC'] });
  const books = sim.world.exchanges[venue === 'bybit' ? 'bybit' : 'deribit']
    .instruments({ kind: 'option' })
    .slice(0, 50)
    .map((i) => i.spec.name);
  const url = venue === 'bybit' ? sim.urls.bybitOptionWs : sim.urls.deribitWs;
  const channels = books.map((b) => (venue === 'bybit' ? `orderbook.25.${b}` : `book.${b}.100ms`));
  process.stdout.write(`${JSON.stringify({ url, channels })}\n`);
}

// The peer: the same socket library with nothing behind it, a Deribit-sized change frame
// sent in batches whenever the socket has drained.
async function bare(): Promise<void> {
  const frame = JSON.stringify({
    jsonrpc: '2.0',
    method: 'subscription',
    params: {
      channel: 'book.BTC-27NOV26-90000-C.100ms',
      data: {
        type: 'change',
        timestamp: 1795000000000,
        prev_change_id: 1,
        instrument_name: 'BTC-27NOV26-90000-C',
        change_id: 2,
        bids: [['change', 0.0215, 12.3]],
        asks: [],
      },
    },
  });
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  server.on('connection', (socket: WebSocket) => {
    const pump = (): void => {
      if (socket.readyState !== socket.OPEN) return;
      for (let i = 0; i < 256; i++) socket.send(frame);
      if (socket.bufferedAmount > 4 << 20) setTimeout(pump, 1);
      else setImmediate(pump);
    };
    socket.once('message', pump);
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ url: `ws://127.0.0.1:${port}`, channels: [] })}\n`);
}

void main();
