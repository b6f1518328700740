// Flat config: typescript-eslint's recommended rules over every TypeScript file.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

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
