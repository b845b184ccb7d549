// A terminal for Ink without one: an output stream that says it is a TTY of a fixed size
// (so Ink takes its interactive path: cursor hiding, synchronized output, erase-and-redraw)
// and only counts what it is sent, and an input that accepts raw mode and never has a key.

import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';

export class FakeTtyOutput extends Writable {
  readonly isTTY = true;
  writes = 0;
  bytes = 0;

  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    super({ decodeStrings: false });
  }

  override _write(
    chunk: string | Buffer,
    _encoding: BufferEncoding,
    done: (error?: Error | null) => void,
  ): void {
    this.writes += 1;
    this.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    done();
  }

  /** What Ink's options want; a Writable with these fields is all Ink uses of it. */
  asWriteStream(): NodeJS.WriteStream {
    return this as unknown as NodeJS.WriteStream;
  }
}

export class FakeTtyInput extends EventEmitter {
  readonly isTTY = true;
  setRawMode(): this {
    return this;
  }
  setEncoding(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
  resume(): this {
    return this;
  }
  pause(): this {
    return this;
  }
  /** Nothing typed: the render bench sends no keys (a keyboard subclass queues them). */
  read(): string | null {
    return null;
  }

  asReadStream(): NodeJS.ReadStream {
    return this as unknown as NodeJS.ReadStream;
  }
}
