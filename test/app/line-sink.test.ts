import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { LineSink } from '../../src/app/line-sink.js';

/** A reader that takes one chunk per tick and can be paused, like a pipe into a slow tool. */
class SlowReader extends Writable {
  readonly lines: string[] = [];
  constructor() {
    super({ highWaterMark: 64 });
  }
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    setImmediate(done);
  }
}

describe('LineSink', () => {
  it('while the reader lags, newer lines replace pending ones with the same key', async () => {
    const reader = new SlowReader();
    const sink = new LineSink(reader);
    for (let i = 0; i < 200; i += 1)
      sink.write({ key: `top:${i % 3}`, text: `{"book":${i % 3},"n":${i}}` });
    sink.write({ key: null, text: '{"status":"gap"}' });
    await once(reader, 'drain');
    await sink.close();
    reader.end();
    await once(reader, 'finish');
    // The first writes went straight through; the rest collapsed to the latest per book.
    const last = reader.lines.slice(-4);
    assert.deepEqual(last, [
      '{"book":2,"n":197}',
      '{"book":0,"n":198}',
      '{"book":1,"n":199}',
      '{"status":"gap"}',
    ]);
    assert.ok(reader.lines.length < 200, `${reader.lines.length} lines written`);
    assert.equal(sink.dropped, 0);
  });

  it('counts keyless lines the bound forces out', async () => {
    const reader = new SlowReader();
    const sink = new LineSink(reader, 10);
    for (let i = 0; i < 100; i += 1) sink.write({ key: null, text: `{"n":${i}}` });
    await sink.close();
    reader.end();
    await once(reader, 'finish');
    assert.equal(reader.lines.length + sink.dropped, 100);
    assert.ok(sink.dropped > 0);
    assert.equal(reader.lines.at(-1), '{"n":99}');
  });
});
