import { defineConfig } from 'vitest/config';

// Five suites kept apart, as in aws-samples/serverless-test-samples:
// unit (pure core and mocked clients), integration (embedded servers over the wire),
// infra (CDK Template assertions), deployed (the synthesized stack's bundles run on the Lambda Node.js major
// with the template's environment), e2e (headless Chromium against the local stack).
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 20_000 } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'deployed',
          include: ['test/deployed/**/*.test.ts'],
          // Synthesizes the stack with bundling once for the whole suite (the CDK assets are the bundles run).
          globalSetup: ['test/deployed/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
