import { Writable } from 'node:stream';

/** A writable that keeps what was written, for calling I/O-edge code in-process. */
export class TextSink extends Writable {
  #text = '';

  override _write(chunk: unknown, _encoding: BufferEncoding, done: () => void): void {
    this.#text += String(chunk);
    done();
  }

  get text(): string {
    return this.#text;
  }

  lines(): string[] {
    return this.#text.split('\n').filter((line) => line !== '');
  }
}
