// Staff sessions, sign-ins under way and per-link counters in the one table, each in its own partition
// (`SESSION#<hash>`, `SIGNIN#<hash>`, `LIMIT#<hash>#<window>`, sort key `-`), so the grants can name them by
// their leading key (dynamodb:LeadingKeys) and no vendor item is ever reachable by these writes. Each item carries
// `expiresAt` (epoch seconds), the table's TTL attribute: DynamoDB deletes expired items within days, so every
// reader checks the time itself.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { LinkCounter } from '../../ports/link-limits.js';
import type { SessionStore, SignInAttempt, StaffSession } from '../../ports/sessions.js';
import { documentClient } from './client.js';
import { ConflictError } from '../../core/errors.js';
import { mapped } from './errors.js';
import { TTL_ATTRIBUTE } from './table.js';

export const SESSION_PREFIX = 'SESSION#';
export const SIGN_IN_PREFIX = 'SIGNIN#';
export const LIMIT_PREFIX = 'LIMIT#';
const SK = '-';

const epochSeconds = (iso: string | Date) => Math.ceil(new Date(iso).getTime() / 1000);

export class DynamoSessionStore implements SessionStore, LinkCounter {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    private readonly tableName: string,
    client: DynamoDBClient,
  ) {
    this.doc = documentClient(client);
  }

  private async put(pk: string, value: object, expiresAt: string): Promise<void> {
    await mapped('save session', () =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk, sk: SK, value: JSON.stringify(value), [TTL_ATTRIBUTE]: epochSeconds(expiresAt) },
        }),
      ),
    );
  }

  saveSession(key: string, session: StaffSession): Promise<void> {
    return this.put(SESSION_PREFIX + key, session, session.expiresAt);
  }

  async findSession(key: string): Promise<StaffSession | undefined> {
    // Strongly consistent: a session ended a moment ago is ended for this request too.
    const { Item } = await mapped('read session', () =>
      this.doc.send(
        new GetCommand({
          TableName: this.tableName,
          Key: { pk: SESSION_PREFIX + key, sk: SK },
          ConsistentRead: true,
        }),
      ),
    );
    return Item ? (JSON.parse(String(Item.value)) as StaffSession) : undefined;
  }

  async endSession(key: string): Promise<void> {
    await mapped('end session', () =>
      this.doc.send(
        new DeleteCommand({ TableName: this.tableName, Key: { pk: SESSION_PREFIX + key, sk: SK } }),
      ),
    );
  }

  saveAttempt(key: string, attempt: SignInAttempt): Promise<void> {
    return this.put(SIGN_IN_PREFIX + key, attempt, attempt.expiresAt);
  }

  async takeAttempt(key: string): Promise<SignInAttempt | undefined> {
    // One delete that returns what it deleted: of two callbacks racing with one attempt, exactly one gets it.
    const { Attributes } = await mapped('take sign-in', () =>
      this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { pk: SIGN_IN_PREFIX + key, sk: SK },
          ReturnValues: 'ALL_OLD',
        }),
      ),
    );
    return Attributes ? (JSON.parse(String(Attributes.value)) as SignInAttempt) : undefined;
  }

  async take(linkKey: string, window: { start: string; endsAt: Date }, limit: number): Promise<boolean> {
    try {
      // One conditional update: counted only while under the limit, so concurrent requests cannot overshoot it.
      await mapped('count link request', () =>
        this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { pk: `${LIMIT_PREFIX}${linkKey}#${window.start}`, sk: SK },
            UpdateExpression: 'ADD requests :one SET #ttl = :ttl',
            ConditionExpression: 'attribute_not_exists(requests) OR requests < :limit',
            ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
            ExpressionAttributeValues: {
              ':one': 1,
              ':limit': limit,
              // Kept a day past the window: long enough to see in the table what a link did, then deleted.
              ':ttl': epochSeconds(window.endsAt) + 86_400,
            },
          }),
        ),
      );
      return true;
    } catch (error) {
      if (error instanceof ConflictError) return false;
      throw error;
    }
  }
}
