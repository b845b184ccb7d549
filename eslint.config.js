// Lint rules: typescript-eslint's type-aware recommended set, plus the
// architecture's import boundaries (pure cores never reach for I/O).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      // node:test's describe/it return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: [
                'describe',
                'it',
                'test',
                'suite',
                'before',
                'after',
                'beforeEach',
                'afterEach',
              ],
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/pricing/**/*.ts'],
    rules: {
      // Published coefficients (Cody, Wichura) are kept digit for digit as printed so
      // they can be checked against the papers; parsing rounds them to the nearest double.
      'no-loss-of-precision': 'off',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', '../*'],
              message: 'src/pricing is pure: no I/O and nothing of ours.',
            },
          ],
        },
      ],
    },
  },
  {
    // The fitted surface is pure: quotes in, fits and numbers out; it borrows only pricing.
    files: ['src/surface/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'src/surface is pure: no I/O and no timers.' },
            {
              group: ['../*', '!../pricing', '!../pricing/*'],
              message: 'src/surface uses nothing of ours but src/pricing.',
            },
          ],
        },
      ],
    },
  },
  {
    // Realised vol, VRP and IV rank are pure: bars and series in, numbers out.
    files: ['src/analytics/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', '../*'],
              message: 'src/analytics is pure: no I/O and nothing outside it.',
            },
          ],
        },
      ],
    },
  },
  {
    // Market state reads normalized events only: no venue code, no I/O, no clocks of its own.
    files: ['src/book/**/*.ts', 'src/instruments/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/feeds/**', '**/sim/**'], message: 'no venue code in market state.' },
            {
              group: ['node:fs*', 'node:net', 'node:http*', 'node:tls', 'node:dgram'],
              message: 'market state does no I/O.',
            },
            {
              group: ['node:child_process', 'node:readline', 'node:timers*', 'node:worker_threads'],
              message: 'market state does no I/O and keeps no timers: time comes in as a value.',
            },
          ],
        },
      ],
    },
  },
  {
    // The simulator stands in for the venues: it must not borrow ivtrade's own parsers, or a
    // shared misreading of the protocol would pass every test.
    files: ['src/sim/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/feeds/**'], message: 'the sim speaks the protocols on its own.' },
            { group: ['**/book/**'], message: 'the sim keeps its own books.' },
          ],
        },
      ],
    },
  },
  {
    // The read model is pure: state in, screen data out. No venue code, no I/O, no clocks.
    files: ['src/view/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/feeds/**', '**/sim/**', '**/ui/**'], message: 'the read model is pure.' },
            { group: ['node:*'], message: 'the read model does no I/O and keeps no timers.' },
          ],
        },
      ],
    },
  },
  {
    // The command language is pure: text in, commands and order intents out.
    files: ['src/commands/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/feeds/**', '**/sim/**', '**/ui/**', '**/app/**'],
              message: 'the command language is pure: no venues, screen or session.',
            },
            { group: ['node:*'], message: 'the command language does no I/O and keeps no timers.' },
          ],
        },
      ],
    },
  },
  {
    // Every order passes the gateway; it knows venues only through the OrderApi contract.
    files: ['src/gateway/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/feeds/deribit/**',
                '**/feeds/bybit/**',
                '**/sim/**',
                '**/ui/**',
                '**/app/**',
              ],
              message: 'the gateway sees venues only through src/feeds/feed.ts.',
            },
          ],
        },
      ],
    },
  },
  {
    // The screen reads the read model and dispatches intents; it never touches a socket.
    files: ['src/ui/**/*.ts*'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/feeds/**', '**/sim/**'], message: 'the UI never touches venues.' },
          ],
        },
      ],
    },
  },
  {
    // Only the composition root (src/app, src/cli) starts the simulator.
    files: ['src/feeds/**/*.ts', 'src/hedge/**/*.ts', 'src/commands/**/*.ts', 'src/store/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['**/sim/**'], message: 'only src/app and src/cli start the sim.' }],
        },
      ],
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['bin/**/*.js', 'scripts/**/*.js'],
    languageOptions: { globals: { process: 'readonly' } },
  },
);
