// One set of esbuild options for every Lambda: the functions construct hands them to NodejsFunction and
// bench/bundles builds with the very same ones, so the sizes and init times it prints are what gets deployed.
import { OutputFormat, SourceMapMode, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { fileURLToPath } from 'node:url';

/** The Lambda runtime's Node.js major version, also esbuild's target. */
export const NODE_TARGET = 'node22';

/** Bundled code is ESM (middy 6 ships ESM only); CommonJS dependencies inside it still need `require`. */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __bkCreateRequire } from 'node:module'; const require = __bkCreateRequire(import.meta.url);";

/** Lambda's credentials come from its environment: the SDK's full default chain is swapped for that one link. */
export const LAMBDA_CREDENTIALS_SHIM = fileURLToPath(new URL('./lambda/credentials.ts', import.meta.url));

/** The options shared by the CDK construct and the bench, in esbuild's own terms. */
export const ESBUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  target: NODE_TARGET,
  format: 'esm',
  minify: true,
  // Minified, classes lose their names, and that is fine: an error's `name` (Lambda's errorType, which the state
  // machine's Retry and Catch match) is a string each class sets itself (functions/core/errors.ts; the SDK's
  // exceptions do the same). test/deployed/error-names.test.ts runs the bundles and checks the reported names.
  // keepNames would cost about 6% of every bundle.
  keepNames: false,
  sourcemap: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  banner: { js: ESM_REQUIRE_BANNER },
  // Everything is bundled, the AWS SDK included: pinned versions, and no runtime-provided SDK surprises.
  external: [] as string[],
  alias: { '@aws-sdk/credential-provider-node': LAMBDA_CREDENTIALS_SHIM },
} as const;

/** The same options in NodejsFunction's terms. */
export function cdkBundling(): BundlingOptions {
  return {
    minify: ESBUILD_OPTIONS.minify,
    sourceMap: ESBUILD_OPTIONS.sourcemap,
    sourceMapMode: SourceMapMode.DEFAULT,
    sourcesContent: ESBUILD_OPTIONS.sourcesContent,
    target: ESBUILD_OPTIONS.target,
    format: OutputFormat.ESM,
    mainFields: [...ESBUILD_OPTIONS.mainFields],
    banner: ESBUILD_OPTIONS.banner.js,
    bundleAwsSDK: true,
    externalModules: [...ESBUILD_OPTIONS.external],
    keepNames: ESBUILD_OPTIONS.keepNames,
    esbuildArgs: Object.fromEntries(
      Object.entries(ESBUILD_OPTIONS.alias).map(([from, to]) => [`--alias:${from}`, to]),
    ),
    // Local esbuild (a devDependency), never Docker: synth works offline and fast.
    forceDockerBundling: false,
  };
}
