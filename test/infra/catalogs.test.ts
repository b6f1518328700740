// The stack is built from the project's catalogs. A handler named in a catalog but not written yet is left out
// with a synth warning (the rest still deploys), and the functions construct refuses a name twice.
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { HTTP_ROUTES } from '../../functions/catalog.js';
import { functionsByEntry, resourcesOfType, synth } from './helpers.js';

describe('catalogs', () => {
  it('leave out a handler that does not exist, with a warning, and keep the rest', () => {
    const missing = 'functions/handlers/not-written-yet.ts';
    const { stack, json } = synth({
      catalogs: {
        routes: [
          ...HTTP_ROUTES,
          { method: 'GET', path: '/later', entry: missing, auth: 'staff', needs: ['table:read'] },
        ],
      },
    });
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp(`${missing} does not exist yet`));
    expect(functionsByEntry(json).has(missing)).toBe(false);
    const keys = resourcesOfType(json, 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey);
    expect(keys).not.toContain('GET /later');
    expect(keys).toHaveLength(HTTP_ROUTES.length);
  });

  it('refuse the same function name twice', () => {
    const { stack } = synth();
    expect(() =>
      stack.functions.addFunction('plan', { entry: 'functions/handlers/plan.ts', needs: [] }),
    ).toThrow(/defined twice/);
  });
});
