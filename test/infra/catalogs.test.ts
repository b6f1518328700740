// The stack is built from the project's catalogue (functions/catalog.ts). A handler it names that does not exist
// fails the synth, and the functions construct refuses a name twice.
import { describe, expect, it } from 'vitest';
import { HTTP_ROUTES } from '../../functions/catalog.js';
import { synth } from './helpers.js';

describe('catalogs', () => {
  it('fail the synth on a handler that does not exist, naming it', () => {
    const missing = 'functions/handlers/not-written-yet.ts';
    expect(() =>
      synth({
        catalogs: {
          routes: [
            ...HTTP_ROUTES,
            { method: 'GET', path: '/later', entry: missing, auth: 'staff', needs: ['table:read'] },
          ],
        },
      }),
    ).toThrow(`catalogue: ${missing} (function not-written-yet) is listed but does not exist`);
  });

  it('refuse the same function name twice', () => {
    const { stack } = synth();
    expect(() =>
      stack.functions.addFunction('plan', { entry: 'functions/handlers/plan.ts', needs: [] }),
    ).toThrow(/defined twice/);
  });
});
