import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { format, inspect } from 'node:util';
import { redact, Secret } from '../../src/config/secret.js';

const VALUE = 'S3CR3T-value-42';

describe('Secret', () => {
  it('gives its value only through reveal()', () => {
    assert.equal(new Secret(VALUE).reveal(), VALUE);
  });

  it('prints redacted however it escapes', () => {
    const secret = new Secret(VALUE);
    const holder = { clientId: 'id', clientSecret: secret, nested: [secret] };
    /* eslint-disable @typescript-eslint/restrict-template-expressions, @typescript-eslint/restrict-plus-operands --
       these are the slips the type exists to survive */
    const renderings = [
      String(secret),
      `${secret}`,
      'x' + secret,
      JSON.stringify(holder),
      inspect(holder, { depth: 10, showHidden: true }),
      format('%s %o %O %j', secret, holder, holder, holder),
      new Error(`failed with ${secret}`).message,
    ];
    /* eslint-enable @typescript-eslint/restrict-template-expressions, @typescript-eslint/restrict-plus-operands */
    for (const text of renderings) {
      assert.ok(!text.includes(VALUE), text);
      assert.ok(text.includes('«redacted»'), text);
    }
    assert.deepEqual(Object.keys(secret), [], 'no enumerable field holds the value');
  });
});

describe('redact', () => {
  it('replaces every occurrence of every secret', () => {
    const text = `sig=${VALUE}&again=${VALUE}&token=tok.en+1`;
    assert.equal(
      redact(text, [new Secret(VALUE), new Secret('tok.en+1')]),
      'sig=«redacted»&again=«redacted»&token=«redacted»',
    );
  });

  it('redacts a secret containing another one whole, and ignores empty secrets', () => {
    assert.equal(
      redact('a=abcdef b=abc', [new Secret('abc'), new Secret('abcdef'), new Secret('')]),
      'a=«redacted» b=«redacted»',
    );
  });

  it('does not match inside the marker it writes', () => {
    assert.equal(redact('x=token', [new Secret('token'), new Secret('red')]), 'x=«redacted»');
  });

  it('treats regular-expression characters literally', () => {
    assert.equal(redact('k=a.c a-c', [new Secret('a.c')]), 'k=«redacted» a-c');
  });
});
