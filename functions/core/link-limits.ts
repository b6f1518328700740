// How much one upload link may be used: a fixed window per link, counted by the handler (functions/ports/
// link-limits.ts), so one client with one link can never take the whole vendor route's capacity for itself. The
// page itself needs about 62 requests for one upload (the page, the entries, a status poll a second for up to a
// minute); the window allows several uploads back to back.

export const LINK_LIMIT = {
  /** Requests one link may make in a window. */
  requests: 300,
  /** The window's length in seconds. */
  windowSeconds: 300,
} as const;

export interface LinkWindow {
  /** ISO instant the window started (windows are aligned to the epoch: every link's windows line up). */
  start: string;
  /** When the window ends: the next request is counted afresh. */
  endsAt: Date;
}

export function linkWindow(now: Date, windowSeconds: number = LINK_LIMIT.windowSeconds): LinkWindow {
  const length = windowSeconds * 1000;
  const start = Math.floor(now.getTime() / length) * length;
  return { start: new Date(start).toISOString(), endsAt: new Date(start + length) };
}

/** Seconds until the window ends (at least 1: the value of a Retry-After header). */
export function secondsLeft(window: LinkWindow, now: Date): number {
  return Math.max(1, Math.ceil((window.endsAt.getTime() - now.getTime()) / 1000));
}
