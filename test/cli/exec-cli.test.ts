// `--exec` as a server runs it: `ivtrade stream --venue sim --exec "…"`, the built binary, the
// answers printed as JSON lines; and a bad line or bad flag refused before anything is sent.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runBin, type Run } from './support/run-bin.js';

const run = (args: readonly string[]): Promise<Run> => runBin(args);

/** `ivtrade stream` on the sim with only its status lines and the command answers. */
const execOnSim = (line: string, duration: string): Promise<Run> =>
  run([
    'stream',
    '--venue',
    'sim',
    '--currency',
    'BTC',
    '--emit',
    'status',
    '--duration',
    duration,
    '--exec',
    line,
  ]);

/** The command answers among the stream's lines. */
function answers(stdout: string): { level: string; text?: string; title?: string }[] {
  return stdout
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as { kind: string; level: string; text?: string })
    .filter((line) => line.kind === 'command');
}

describe('--exec', () => {
  it('runs a line headless once the venue is quoting: choose, size, order, cancel', async () => {
    const result = await execOnSim('i BTC-PERPETUAL; m 10; as1; orders; cc', '6s');
    assert.equal(result.code, 0, result.stderr);
    const said = answers(result.stdout);
    const texts = said.map((answer) => answer.text ?? answer.title ?? '');
    assert.ok(
      texts.some((text) => text.startsWith('instrument: BTC-PERPETUAL')),
      texts.join('\n'),
    );
    assert.ok(texts.some((text) => text.startsWith('size multiplier 10 for BTC-PERPETUAL')));
    assert.ok(
      texts.some((text) => /^buy 10 BTC-PERPETUAL at \d+(\.\d+)? accepted/.test(text)),
      texts.join('\n'),
    );
    assert.ok(texts.includes('orders'), 'the listing');
    assert.ok(
      texts.some((text) => /cancel/.test(text)),
      texts.join('\n'),
    );
  });

  it('a line that does not parse sends nothing and says where', async () => {
    const result = await execOnSim('i BTC-PERPETUAL; as1x', '4s');
    // Exit 1: it ran, but the input was bad (a script must be able to tell).
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /ivtrade stream: --exec failed/);
    const said = answers(result.stdout);
    assert.equal(said.length, 1, JSON.stringify(said));
    assert.equal(said[0]!.level, 'error');
    assert.match(said[0]!.text ?? '', /^column 20: expected a size after "as"/);
  });

  it('a step that fails (an instrument not listed) exits 1; the line is refused whole', async () => {
    const result = await execOnSim('i BTC-PERPETUAL; i XYZ-NOPE', '4s');
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /--exec failed/);
    // The line is checked whole before any step runs: the first step did not run either.
    const said = answers(result.stdout);
    assert.equal(said.length, 1, result.stdout);
    assert.equal(said[0]?.level, 'error', result.stdout);
    assert.match(said[0]?.text ?? '', /^nothing run: step 2 of 2 \(i XYZ-NOPE\)/, result.stdout);
  });

  it('hon works under stream as on the screen: the hedger sells a bought perpetual back to flat', async () => {
    const home = mkdtempSync(join(tmpdir(), 'ivtrade-exec-hedge-'));
    try {
      const result = await runBin(
        [
          'stream',
          '--venue',
          'sim',
          '--currency',
          'BTC',
          '--emit',
          'status',
          '--duration',
          '8s',
          '--exec',
          'i BTC-PERPETUAL; m 1000; a1; hon',
        ],
        { HOME: home, XDG_STATE_HOME: join(home, 'state') },
      );
      assert.equal(result.code, 0, result.stderr);
      const texts = answers(result.stdout).map((answer) => answer.text ?? '');
      assert.ok(
        texts.some((text) => text.startsWith('hedger ON: BTC options')),
        texts.join('\n'),
      );
      const hedges = result.stdout
        .split('\n')
        .filter((line) => line.includes('"kind":"hedge"'))
        .map((line) => JSON.parse(line) as { label?: string; decision: { side?: string } })
        .filter((line) => line.label !== undefined);
      assert.ok(hedges.length >= 1, `a hedge was sent: ${texts.join('\n')}`);
      assert.equal(hedges[0]!.decision.side, 'sell');
      assert.match(hedges[0]!.label!, /^ivt-hedge-[a-z0-9]{6}-1$/);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('a bad gateway flag exits 2 with a hint', async () => {
    const result = await run(['stream', '--venue', 'sim', '--max-notional', 'lots']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--max-notional takes a positive number, e\.g\. --max-notional/);
    const ticks = await run(['stream', '--venue', 'sim', '--cap-ticks', '2.5']);
    assert.equal(ticks.code, 2);
    assert.match(ticks.stderr, /--cap-ticks takes a whole number from 0 to 1000/);
    const distance = await run(['stream', '--venue', 'sim', '--option-distance-ticks', '-1']);
    assert.equal(distance.code, 2);
    assert.match(
      distance.stderr,
      /--option-distance-ticks takes a whole number from 0 to 1000, e\.g\. --option-distance-ticks 20/,
    );
  });

  it('a capped market order (a1 on the perpetual) fills', async () => {
    const result = await run([
      'stream',
      '--venue',
      'sim',
      '--currency',
      'BTC',
      '--emit',
      'status',
      '--duration',
      '5s',
      '--cap-ticks',
      '0',
      '--exec',
      'i BTC-PERPETUAL; a1',
    ]);
    assert.equal(result.code, 0, result.stderr);
    const texts = answers(result.stdout).map((answer) => answer.text ?? '');
    // The perpetual is a future: its cap is 0.1 % whatever --cap-ticks says, and it fills.
    assert.ok(
      texts.some((text) => /^bought 10 BTC-PERPETUAL at \d+(\.\d+)?/.test(text)),
      texts.join('\n'),
    );
  });

  it('takes the one-order and money commands headless: amend and cancel by number, then pnl', async () => {
    const result = await execOnSim('i BTC-PERPETUAL; m 10; a1 1000; e1 1000.5; c1; pnl', '6s');
    assert.equal(result.code, 0, result.stderr);
    const said = answers(result.stdout) as { text?: string; title?: string; lines?: string[] }[];
    const texts = said.map((answer) => answer.text ?? answer.title ?? '');
    assert.ok(
      texts.some((text) => /^buy 10 BTC-PERPETUAL at 1000 accepted/.test(text)),
      texts.join('\n'),
    );
    assert.ok(
      texts.some((text) => text === '#1 amended: buy 10 BTC-PERPETUAL at 1000.5'),
      texts.join('\n'),
    );
    assert.ok(
      texts.some((text) => /^#1 cancelled: buy 10 BTC-PERPETUAL at 1000\.5/.test(text)),
      texts.join('\n'),
    );
    const pnl = said.find((answer) => answer.title === 'pnl this session');
    assert.deepEqual(pnl?.lines, ['no fills in that time'], texts.join('\n'));
  });

  it('takes a package headless: a straddle is one combo order, answered as one line', async () => {
    // The second Friday from now: listed by the sim as a weekly (or a month's end), a week
    // or more out, so never the expiry about to go.
    const day = new Date();
    day.setUTCDate(day.getUTCDate() + ((5 - day.getUTCDay() + 7) % 7 || 7) + 7);
    const months = [
      'jan',
      'feb',
      'mar',
      'apr',
      'may',
      'jun',
      'jul',
      'aug',
      'sep',
      'oct',
      'nov',
      'dec',
    ];
    const expiry = `${day.getUTCDate()}${months[day.getUTCMonth()]!}`;
    const result = await execOnSim(`i ${expiry} 90k c; a1 st`, '6s');
    assert.equal(result.code, 0, result.stderr);
    const texts = answers(result.stdout).map((answer) => answer.text ?? '');
    assert.ok(
      texts.some((text) => /^bought 0\.1 BTC-STRD-\d+[A-Z]{3}\d\d-90000 at /.test(text)),
      texts.join('\n'),
    );
  });

  it('hb changes the hedger band while it runs, and hs says the new one', async () => {
    const result = await execOnSim('hon; hb $500; hs', '6s');
    assert.equal(result.code, 0, result.stderr);
    const texts = answers(result.stdout).map((answer) => answer.text ?? '');
    assert.ok(
      texts.some((text) =>
        /^hedger band ±\$500 \(was ±\$\d[\d,]* \(0\.25% of one coin\)\)$/.test(text),
      ),
      texts.join('\n'),
    );
    assert.ok(
      texts.some((text) => /^hedger .*±\$500/.test(text)),
      texts.join('\n'),
    );
  });

  it('hmode, htarget, hto, hratio and hinst change the hedger while it runs', async () => {
    const result = await execOnSim(
      'hon; hmode gamma 1e-3; htarget 0.1; hto edge; hratio 80%; hinst net; hs',
      '6s',
    );
    assert.equal(result.code, 0, result.stderr);
    const texts = answers(result.stdout).map((answer) => answer.text ?? '');
    assert.ok(
      texts.some((text) => /^hedger policy gamma \(γ 1e-3\/\$\) \(was fixed \(±/.test(text)),
      texts.join('\n'),
    );
    assert.ok(
      texts.some(
        (text) =>
          text === 'hedger target +0.1 BTC (was 0 BTC)' ||
          /^hedger target \+0\.1\d* BTC \(was /.test(text),
      ),
      texts.join('\n'),
    );
    assert.ok(
      texts.includes("hedger hedges to the band's edge (was the target)"),
      texts.join('\n'),
    );
    assert.ok(texts.includes('hedger ratio 80% (was 100%)'), texts.join('\n'));
    assert.ok(
      texts.some((text) =>
        /^hedger instrument BTC-PERPETUAL, net of every BTC future held \(was BTC-PERPETUAL only/.test(
          text,
        ),
      ),
      texts.join('\n'),
    );
  });
});
