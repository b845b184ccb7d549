import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { inspect } from 'node:util';
import { ConfigError } from '../../src/config/config-error.js';
import { redisTarget } from '../../src/app/redis-target.js';
import {
  loadCredentials,
  loadRedisCredentials,
  type Credentials,
} from '../../src/config/credentials.js';

/** Recognizable values: none may ever show up in an error or in a rendering of the result. */
const SECRETS = {
  deribitEnv: 'DRB-env-secret-0x5eed',
  bybitEnv: 'BYB-env-secret-0xfeed',
  deribitFile: 'DRB-file-secret-0xbeef',
  bybitFile: 'BYB-file-secret-0xcafe',
};
const ALL_SECRETS = Object.values(SECRETS);

const root = mkdtempSync(join(tmpdir(), 'ivtrade-credentials-'));
after(() => rmSync(root, { recursive: true, force: true }));

let files = 0;
/** A fresh home directory, optionally with a credentials file at the default place. */
function home(content?: string, mode = 0o600): { homeDir: string; path: string } {
  const homeDir = join(root, `home-${files++}`);
  const dir = join(homeDir, '.config', 'ivtrade');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'credentials.json');
  if (content !== undefined) {
    writeFileSync(path, content);
    chmodSync(path, mode);
  }
  return { homeDir, path };
}

function fileWith(content: string, mode = 0o600): string {
  const path = join(root, `file-${files++}.json`);
  writeFileSync(path, content);
  chmodSync(path, mode);
  return path;
}

const FULL_FILE = JSON.stringify({
  deribit: { clientId: 'file-client', clientSecret: SECRETS.deribitFile },
  bybit: { apiKey: 'file-key', apiSecret: SECRETS.bybitFile },
});

const FULL_ENV = {
  DERIBIT_CLIENT_ID: 'env-client',
  DERIBIT_CLIENT_SECRET: SECRETS.deribitEnv,
  BYBIT_API_KEY: 'env-key',
  BYBIT_API_SECRET: SECRETS.bybitEnv,
};

function assertNoSecret(text: string): void {
  for (const secret of ALL_SECRETS) assert.ok(!text.includes(secret), `leaked ${secret}: ${text}`);
}

/** Runs `load`, expecting a ConfigError matching `pattern`, and checks it leaks nothing. */
function refused(load: () => Credentials, pattern: RegExp): ConfigError {
  let caught: unknown;
  try {
    load();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof ConfigError, `expected a ConfigError, got ${inspect(caught)}`);
  assert.match(caught.message, pattern);
  assert.equal(caught.cause, undefined, 'no parser error (which quotes text) is attached');
  for (const rendering of [
    caught.message,
    caught.stack ?? '',
    inspect(caught, { depth: 10, showHidden: true }),
    JSON.stringify(caught),
    String(caught),
  ]) {
    assertNoSecret(rendering);
  }
  return caught;
}

function assertRendersWithoutSecrets(credentials: Credentials): void {
  assertNoSecret(JSON.stringify(credentials));
  assertNoSecret(inspect(credentials, { depth: 10, showHidden: true }));
  assertNoSecret(
    `${String(credentials.deribit?.clientSecret)} ${String(credentials.bybit?.apiSecret)}`,
  );
}

describe('loadCredentials from the environment', () => {
  it('reads both pairs, and renders the secrets redacted', () => {
    const credentials = loadCredentials({ env: FULL_ENV, homeDir: home().homeDir });
    assert.equal(credentials.deribit?.clientId, 'env-client');
    assert.equal(credentials.deribit?.clientSecret.reveal(), SECRETS.deribitEnv);
    assert.equal(credentials.bybit?.apiKey, 'env-key');
    assert.equal(credentials.bybit?.apiSecret.reveal(), SECRETS.bybitEnv);
    assertRendersWithoutSecrets(credentials);
    assert.match(JSON.stringify(credentials), /"clientSecret":"«redacted»"/);
  });

  it('without environment or file there are no credentials', () => {
    assert.deepEqual(loadCredentials({ env: {}, homeDir: home().homeDir }), {
      deribit: null,
      bybit: null,
    });
  });

  it('an empty variable counts as unset', () => {
    const credentials = loadCredentials({
      env: { DERIBIT_CLIENT_ID: '', DERIBIT_CLIENT_SECRET: '', ...pick('BYBIT') },
      homeDir: home().homeDir,
    });
    assert.equal(credentials.deribit, null);
    assert.equal(credentials.bybit?.apiKey, 'env-key');
  });

  for (const [present, missing] of [
    ['DERIBIT_CLIENT_ID', 'DERIBIT_CLIENT_SECRET'],
    ['DERIBIT_CLIENT_SECRET', 'DERIBIT_CLIENT_ID'],
    ['BYBIT_API_KEY', 'BYBIT_API_SECRET'],
    ['BYBIT_API_SECRET', 'BYBIT_API_KEY'],
  ] as const) {
    it(`a half-set pair (${present} without ${missing}) names the missing variable`, () => {
      const env = { ...FULL_ENV, [missing]: undefined };
      const error = refused(
        () => loadCredentials({ env, homeDir: home().homeDir }),
        new RegExp(`^${missing} is not set`),
      );
      assert.ok(error.message.includes(present));
    });
  }
});

function pick(prefix: 'DERIBIT' | 'BYBIT'): Record<string, string> {
  return Object.fromEntries(Object.entries(FULL_ENV).filter(([name]) => name.startsWith(prefix)));
}

describe('loadCredentials from the file', () => {
  it('reads ~/.config/ivtrade/credentials.json when it is private', () => {
    const credentials = loadCredentials({ env: {}, homeDir: home(FULL_FILE).homeDir });
    assert.equal(credentials.deribit?.clientId, 'file-client');
    assert.equal(credentials.deribit?.clientSecret.reveal(), SECRETS.deribitFile);
    assert.equal(credentials.bybit?.apiKey, 'file-key');
    assert.equal(credentials.bybit?.apiSecret.reveal(), SECRETS.bybitFile);
    assertRendersWithoutSecrets(credentials);
  });

  it('the environment wins per venue', () => {
    const credentials = loadCredentials({ env: pick('DERIBIT'), homeDir: home(FULL_FILE).homeDir });
    assert.equal(credentials.deribit?.clientSecret.reveal(), SECRETS.deribitEnv);
    assert.equal(credentials.bybit?.apiSecret.reveal(), SECRETS.bybitFile);
  });

  it('the path argument wins over $IVTRADE_CONFIG, which wins over the default', () => {
    const onlyDeribit = fileWith(
      JSON.stringify({ deribit: { clientId: 'from-arg', clientSecret: SECRETS.deribitFile } }),
    );
    const onlyBybit = fileWith(
      JSON.stringify({ bybit: { apiKey: 'from-env-path', apiSecret: SECRETS.bybitFile } }),
    );
    const { homeDir } = home(FULL_FILE);
    const env = { IVTRADE_CONFIG: onlyBybit };
    assert.equal(
      loadCredentials({ env, homeDir, path: onlyDeribit }).deribit?.clientId,
      'from-arg',
    );
    assert.equal(loadCredentials({ env, homeDir, path: onlyDeribit }).bybit, null);
    assert.equal(loadCredentials({ env, homeDir }).bybit?.apiKey, 'from-env-path');
    assert.equal(loadCredentials({ env, homeDir }).deribit, null);
    assert.equal(loadCredentials({ env: {}, homeDir }).deribit?.clientId, 'file-client');
  });

  it('a venue may be absent or null', () => {
    const path = fileWith(
      JSON.stringify({ deribit: null, bybit: { apiKey: 'k', apiSecret: SECRETS.bybitFile } }),
    );
    const credentials = loadCredentials({ env: {}, path });
    assert.equal(credentials.deribit, null);
    assert.equal(credentials.bybit?.apiKey, 'k');
  });

  it('follows a symlink to a private file', () => {
    const target = fileWith(FULL_FILE);
    const link = join(root, `link-${files++}.json`);
    symlinkSync(target, link);
    assert.equal(loadCredentials({ env: {}, path: link }).bybit?.apiKey, 'file-key');
  });

  it('accepts a leading byte-order mark', () => {
    const path = fileWith(`\uFEFF${FULL_FILE}`);
    assert.equal(loadCredentials({ env: {}, path }).deribit?.clientId, 'file-client');
  });

  it('a named file must exist', () => {
    const missing = join(root, 'nowhere.json');
    refused(() => loadCredentials({ env: {}, path: missing }), /nowhere\.json does not exist/);
    refused(
      () => loadCredentials({ env: { IVTRADE_CONFIG: missing }, homeDir: home().homeDir }),
      /nowhere\.json does not exist/,
    );
  });

  for (const mode of [0o644, 0o640, 0o604, 0o620, 0o602, 0o610, 0o601, 0o700 | 0o040]) {
    it(`refuses a file with mode ${mode.toString(8)}, saying how to fix it`, () => {
      const path = fileWith(FULL_FILE, mode);
      refused(
        () => loadCredentials({ env: {}, path }),
        new RegExp(`accessible to other users.*chmod 600 ${path.replace(/[.]/g, '\\.')}`),
      );
    });
  }

  it('quotes a path with spaces in the chmod hint, ready to paste into a shell', () => {
    const dir = join(root, `it's here ${files++}`);
    mkdirSync(dir);
    const path = join(dir, 'creds.json');
    writeFileSync(path, FULL_FILE);
    chmodSync(path, 0o660);
    const error = refused(() => loadCredentials({ env: {}, path }), /chmod 600/);
    const quoted = `'${path.replace(/'/g, `'\\''`)}'`;
    assert.ok(error.message.endsWith(`chmod 600 ${quoted}`), error.message);
    chmodSync(path, 0o600);
    const fixed = execFileSync('sh', ['-c', `chmod 644 ${quoted} && stat -c %a ${quoted}`]);
    assert.equal(fixed.toString().trim(), '644', 'the quoted path is what a shell expects');
  });

  it('refuses an insecure default file even when the environment covers both venues', () => {
    const { homeDir } = home(FULL_FILE, 0o644);
    refused(() => loadCredentials({ env: FULL_ENV, homeDir }), /chmod 600/);
  });

  it('accepts owner-only modes stricter than 600', () => {
    const path = fileWith(FULL_FILE, 0o400);
    assert.equal(loadCredentials({ env: {}, path }).deribit?.clientId, 'file-client');
  });

  it('refuses a directory or a FIFO instead of a file, without blocking on the FIFO', () => {
    const directory = join(root, `dir-${files++}`);
    mkdirSync(directory, { mode: 0o700 });
    refused(() => loadCredentials({ env: {}, path: directory }), /not a regular file/);
    const fifo = join(root, `fifo-${files++}`);
    execFileSync('mkfifo', ['-m', '600', fifo]);
    refused(() => loadCredentials({ env: {}, path: fifo }), /not a regular file/);
  });

  const malformed: [string, string, RegExp][] = [
    [
      'broken JSON around a secret',
      `{"deribit": {"clientId": "x", "clientSecret": ${SECRETS.deribitFile}}}`,
      /not valid JSON/,
    ],
    [
      'truncated JSON',
      `{"bybit": {"apiKey": "k", "apiSecret": "${SECRETS.bybitFile}"`,
      /not valid JSON at line 1, column \d+/,
    ],
    [
      'a trailing comma on line 3',
      `{\n "bybit": {"apiKey": "k", "apiSecret": "${SECRETS.bybitFile}"},\n}`,
      /not valid JSON at line 3, column 1/,
    ],
    ['an empty file', '  \n', /empty/],
    ['a top-level array', `["${SECRETS.deribitFile}"]`, /JSON object at the top level/],
    [
      'a secret as an unknown top-level key',
      `{"${SECRETS.deribitFile}": {}}`,
      /unexpected top-level field/,
    ],
    ['a secret as a venue', `{"deribit": "${SECRETS.deribitFile}"}`, /deribit must be an object/],
    [
      'a missing secret',
      `{"deribit": {"clientId": "${SECRETS.deribitFile}"}}`,
      /deribit\.clientSecret is missing/,
    ],
    [
      'a missing id',
      `{"bybit": {"apiSecret": "${SECRETS.bybitFile}"}}`,
      /bybit\.apiKey is missing/,
    ],
    [
      'a secret in a misspelt field',
      `{"bybit": {"apiKey": "k", "apiSecret": "x", "apisecret": "${SECRETS.bybitFile}"}}`,
      /bybit has an unexpected field/,
    ],
    [
      'a number as the secret',
      `{"bybit": {"apiKey": "k", "apiSecret": 90210}}`,
      /bybit\.apiSecret must be a non-empty string/,
    ],
    [
      'an empty id',
      `{"deribit": {"clientId": "", "clientSecret": "${SECRETS.deribitFile}"}}`,
      /deribit\.clientId must be a non-empty string/,
    ],
  ];
  for (const [what, content, pattern] of malformed) {
    it(`a malformed file (${what}) is named without quoting its content`, () => {
      const path = fileWith(content);
      const error = refused(() => loadCredentials({ env: FULL_ENV, path }), pattern);
      assert.ok(error.message.includes(path), error.message);
      assert.ok(!error.message.includes('90210'));
    });
  }

  it('refuses a file too large to be credentials', () => {
    const path = fileWith(`{"deribit": null, "pad": "${'x'.repeat(70_000)}"}`);
    refused(() => loadCredentials({ env: {}, path }), /too large/);
  });
});

describe('loadRedisCredentials', () => {
  const redisSecret = 'REDIS-file-pw-0xd00d';
  const envSecret = 'REDIS-env-pw-0xf00d';

  it('reads the redis section of the private file, and renders the password redacted', () => {
    const { homeDir } = home(
      JSON.stringify({ redis: { username: 'desk', password: redisSecret }, deribit: null }),
    );
    const redis = loadRedisCredentials({ env: {}, homeDir });
    assert.equal(redis.username, 'desk');
    assert.equal(redis.password?.reveal(), redisSecret);
    assert.ok(!JSON.stringify(redis).includes(redisSecret));
    assert.ok(!inspect(redis, { depth: 10, showHidden: true }).includes(redisSecret));
    // The venues' loader reads the same file and is not thrown by the new section.
    assert.deepEqual(loadCredentials({ env: {}, homeDir }), { deribit: null, bybit: null });
  });

  it('the environment wins per field; nothing anywhere is no user and no password', () => {
    const { homeDir } = home(
      JSON.stringify({ redis: { username: 'desk', password: redisSecret } }),
    );
    const env = { IVTRADE_REDIS_PASSWORD: envSecret };
    const redis = loadRedisCredentials({ env, homeDir });
    assert.equal(redis.username, 'desk');
    assert.equal(redis.password?.reveal(), envSecret);
    const user = loadRedisCredentials({ env: { IVTRADE_REDIS_USER: 'viewer' }, homeDir });
    assert.equal(user.username, 'viewer');
    assert.equal(user.password?.reveal(), redisSecret);
    assert.deepEqual(loadRedisCredentials({ env: {}, homeDir: home().homeDir }), {
      username: null,
      password: null,
    });
  });

  it('feeds the --redis URL, whose own user and password win', () => {
    const path = fileWith(JSON.stringify({ redis: { username: 'desk', password: redisSecret } }));
    const fromFile = redisTarget('redis://10.0.0.5:6379', { env: {}, path });
    assert.equal(fromFile.username, 'desk');
    assert.equal(fromFile.password?.reveal(), redisSecret);
    const fromUrl = redisTarget('redis://me:urlpw@10.0.0.5:6379', { env: {}, path });
    assert.equal(fromUrl.username, 'me');
    assert.equal(fromUrl.password?.reveal(), 'urlpw');
  });

  it('keeps the 0600 rule for the redis section too', () => {
    const path = fileWith(JSON.stringify({ redis: { password: redisSecret } }), 0o644);
    let caught: unknown;
    try {
      loadRedisCredentials({ env: {}, path });
    } catch (error) {
      caught = error;
    }
    assert.ok(caught instanceof ConfigError);
    assert.match(caught.message, /accessible to other users/);
    assert.ok(!caught.message.includes(redisSecret));
  });

  it('a malformed redis section is named without quoting it', () => {
    for (const [content, pattern] of [
      [`{"redis": {"pasword": "${redisSecret}"}}`, /redis has an unexpected field/],
      [`{"redis": {"password": 12345}}`, /redis\.password must be a non-empty string/],
      [`{"redis": "${redisSecret}"}`, /redis must be an object/],
    ] as const) {
      const path = fileWith(content);
      let caught: unknown;
      try {
        loadRedisCredentials({ env: {}, path });
      } catch (error) {
        caught = error;
      }
      assert.ok(caught instanceof ConfigError, content);
      assert.match(caught.message, pattern);
      assert.ok(!caught.message.includes(redisSecret));
      assert.ok(!caught.message.includes('12345'));
    }
  });
});
