// Sessions, sign-ins under way and link counters in this process's memory, per table name, for `simulate` (which
// runs every handler in one process on the in-memory store). Same behaviour as the DynamoDB adapter.
import type { LinkCounter } from '../../ports/link-limits.js';
import type { SessionStore, SignInAttempt, StaffSession } from '../../ports/sessions.js';

class MemorySessionStore implements SessionStore, LinkCounter {
  private readonly items = new Map<string, string>();
  private readonly counts = new Map<string, number>();

  async saveSession(key: string, session: StaffSession) {
    this.items.set(`SESSION#${key}`, JSON.stringify(session));
  }
  async findSession(key: string) {
    const text = this.items.get(`SESSION#${key}`);
    return text ? (JSON.parse(text) as StaffSession) : undefined;
  }
  async endSession(key: string) {
    this.items.delete(`SESSION#${key}`);
  }
  async saveAttempt(key: string, attempt: SignInAttempt) {
    this.items.set(`SIGNIN#${key}`, JSON.stringify(attempt));
  }
  async takeAttempt(key: string) {
    const text = this.items.get(`SIGNIN#${key}`);
    this.items.delete(`SIGNIN#${key}`);
    return text ? (JSON.parse(text) as SignInAttempt) : undefined;
  }
  async take(linkKey: string, window: { start: string }, limit: number) {
    const key = `${linkKey}#${window.start}`;
    const count = this.counts.get(key) ?? 0;
    if (count >= limit) return false;
    this.counts.set(key, count + 1);
    return true;
  }
}

const stores = new Map<string, MemorySessionStore>();

export function memorySessions(tableName: string): SessionStore & LinkCounter {
  let store = stores.get(tableName);
  if (!store) {
    store = new MemorySessionStore();
    stores.set(tableName, store);
  }
  return store;
}

export function dropMemorySessions(tableName: string): void {
  stores.delete(tableName);
}
