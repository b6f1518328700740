// A counter per upload link and time window (functions/core/link-limits.ts): DynamoDB on AWS and locally.

export interface LinkCounter {
  /**
   * Counts one request of the link (`linkKey`: the SHA-256 of its token) in the window starting at
   * `windowStart`, unless the window already counted `limit`: then false, and nothing is counted.
   */
  take(linkKey: string, window: { start: string; endsAt: Date }, limit: number): Promise<boolean>;
}
