// Flat config: typescript-eslint's recommended rules over every TypeScript file.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/**
 * The layers (README, "Layering"): who may import whom. Each zone forbids `target` to import from `from`.
 * Enforced on every TypeScript file; test/unit/lint/layering.test.ts shows a wrong import fails.
 */
export const LAYER_ZONES = [
  {
    target: './functions/core',
    from: [
      './functions/!(core)/**',
      './functions/*.ts',
      './local/**',
      './cli/**',
      './infra/**',
      './workflows/**',
    ],
    message: 'functions/core is pure: it imports nothing outside functions/core.',
  },
  {
    target: './functions/ports',
    from: [
      './functions/!(core|ports)/**',
      './functions/*.ts',
      './local/**',
      './cli/**',
      './infra/**',
      './workflows/**',
    ],
    message: 'functions/ports may import functions/core only.',
  },
  {
    target: './functions/app',
    from: [
      './functions/adapters/**',
      './functions/edge/**',
      './functions/handlers/**',
      './functions/web/**',
      './local/**',
      './cli/**',
      './infra/**',
    ],
    message:
      'functions/app works through the ports: never an adapter, the edge, a handler, local, cli or infra.',
  },
  {
    target: './functions/adapters',
    from: [
      './functions/app/**',
      './functions/edge/**',
      './functions/handlers/**',
      './functions/web/**',
      './local/**',
      './cli/**',
      './infra/**',
    ],
    message:
      'an adapter implements a port: it never imports the app, the edge, handlers, local, cli or infra.',
  },
  {
    target: './functions/web',
    from: ['./functions/!(core|web)/**', './functions/*.ts', './local/**', './cli/**', './infra/**'],
    message: 'functions/web renders pages from core values only.',
  },
  {
    target: './functions/edge',
    from: ['./functions/handlers/**', './local/**', './cli/**', './infra/**'],
    message: 'functions/edge serves the handlers: it never imports one, nor local, cli or infra.',
  },
  {
    target: './functions/handlers',
    from: ['./functions/handlers/**', './local/**', './cli/**', './infra/**', './workflows/**'],
    message: 'a handler is its own composition root: it never imports another handler, local, cli or infra.',
  },
  {
    target: './functions/catalog.ts',
    from: ['./functions/!(ports)/**', './local/**', './cli/**', './infra/**'],
    message: 'the catalogue names handlers by path; it imports only the needs vocabulary.',
  },
  {
    target: ['./infra', './workflows'],
    from: ['./local/**', './cli/**', './functions/handlers/**', './functions/edge/**', './functions/app/**'],
    message: 'infra and workflows build from the catalogue: never local, cli or a handler module.',
  },
  {
    target: './local',
    from: ['./cli/**'],
    message: 'local never imports cli.',
  },
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'cdk.out/**',
      '.data/**',
      'coverage/**',
      'test-artifacts/**',
      'bench/out/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      // .js specifiers that name .ts files resolve as tsc resolves them; an unresolved import would be skipped.
      'import-x/resolver-next': [createTypeScriptImportResolver({ alwaysTryTypes: true })],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: LAYER_ZONES }],
      'import-x/no-unresolved': ['error', { ignore: ['^aws-lambda$'] }],
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // The core must never read the wall clock directly: time comes through the clock port.
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'Read time through the Clock port (functions/ports/clock.ts), not Date.now().',
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
  {
    // The edges (local runner, CLI, benches, tests, the clock adapter) may read the real clock.
    files: [
      'local/**',
      'cli/**',
      'bench/**',
      'test/**',
      'scripts/**',
      'functions/adapters/clock/**',
      'bin/**',
    ],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
