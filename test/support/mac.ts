// A Mac for unit tests: HMAC-SHA256 with a fixed key, the algorithm of the KMS HMAC key (the KMS adapter and the
// embedded KMS are exercised by the integration and deployed suites).
import { createHmac } from 'node:crypto';
import type { Mac } from '../../functions/ports/mac.js';

export function testMac(seed = 1): Mac {
  const key = Buffer.alloc(32, seed);
  const sign = async (message: string) =>
    createHmac('sha256', key).update(message, 'utf8').digest('base64url');
  return { sign, verify: async (message, mac) => (await sign(message)) === mac };
}

/** A projection of `state` sealed with `mac`, as if a writer had committed it at `state.seq` (tests that seed a store). */
export async function sealedProjection(
  state: import('../../functions/core/vendor-state.js').VendorState,
  mac: Mac,
) {
  const { digestOf, sealMessage } = await import('../../functions/app/vendors.js');
  const sealed = { ...state, seq: state.seq || 1, headHash: state.headHash ?? 'f'.repeat(64) };
  const stateJson = JSON.stringify(sealed);
  return {
    vendorId: sealed.vendorId,
    seq: sealed.seq,
    state: sealed,
    stateJson,
    commitFirstSeq: sealed.seq,
    mac: await mac.sign(
      sealMessage(sealed.vendorId, sealed.seq, sealed.seq, sealed.headHash, digestOf(stateJson)),
    ),
    findings: [],
    requests: [],
    // As if its derived items were written (the tests that seal a state read it; they never list the portfolio).
    derivedDigest: 'test',
  };
}
