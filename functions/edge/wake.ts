// Waking a vendor's sleeping lifecycle after a person changed something (an upload, a decision), so that it
// re-plans now instead of at its next wake-up.
import type { LifecycleControl } from '../adapters/sfn/lifecycle.js';
import type { VendorState } from '../core/vendor-state.js';
import { logger } from './logger.js';

export type WakeLifecycle = (state: VendorState, reason: string) => Promise<void>;

/**
 * SendTaskSuccess on the token the lifecycle left on the vendor's record. A failure is logged, not thrown: what
 * happened is already recorded, and the lifecycle sees it at its next scheduled wake-up at the latest (the daily
 * reconciler restarts a dead one).
 */
export function waker(control: Pick<LifecycleControl, 'wake'>): WakeLifecycle {
  return async (state, reason) => {
    try {
      await control.wake(state, reason);
    } catch (error) {
      logger.error('could not wake the lifecycle; it will see the change at its next wake-up', {
        vendorId: state.vendorId,
        reason,
        error: error as Error,
      });
    }
  };
}
