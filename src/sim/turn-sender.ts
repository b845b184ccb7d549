// A WebSocket's sends coalesced per turn of the event loop: a market step publishes hundreds
// of frames to one connection at once, and each ws send is its own write to the kernel
// unless the socket is corked. Corked for the rest of the turn, they leave as one write.

import type { Duplex } from 'node:stream';
import { WebSocket } from 'ws';

/** A send for `socket` whose frames of one turn go out together on `raw`, its TCP socket. */
export function turnSender(socket: WebSocket, raw: Duplex): (text: string) => void {
  let corked = false;
  const uncork = (): void => {
    corked = false;
    raw.uncork();
  };
  return (text) => {
    if (socket.readyState !== WebSocket.OPEN) return;
    if (!corked) {
      corked = true;
      raw.cork();
      process.nextTick(uncork);
    }
    socket.send(text);
  };
}
