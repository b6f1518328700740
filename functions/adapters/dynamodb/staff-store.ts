// The StaffStore port on the vendors' table: one item per member of staff, pk `STAFF#<staffKey>`, sk `RECORD`,
// the record as JSON and its version, written with a conditional put on the version (PutItem only, as every
// other write of this table). No index lists these items: the vendor indexes never see them, and the audit's
// thorough scan only counts `V#` keys.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StaffRecord } from '../../core/staff-record.js';
import type { StaffStore } from '../../ports/staff-store.js';
import { documentClient } from './client.js';
import { mapped } from './errors.js';

const pk = (staffKey: string) => `STAFF#${staffKey}`;
const SK = 'RECORD';

export class DynamoStaffStore implements StaffStore {
  private readonly doc: DynamoDBDocumentClient;
  constructor(
    readonly tableName: string,
    client: DynamoDBClient,
  ) {
    this.doc = documentClient(client);
  }

  async readStaff(staffKey: string): Promise<StaffRecord | undefined> {
    const result = await mapped('read a staff record', () =>
      this.doc.send(
        new GetCommand({
          TableName: this.tableName,
          Key: { pk: pk(staffKey), sk: SK },
          ConsistentRead: true,
        }),
      ),
    );
    const item = result.Item;
    if (!item || typeof item.record !== 'string') return undefined;
    const record = JSON.parse(item.record) as StaffRecord;
    // The key and version as stored win over what the JSON says (a record copied under another key is not it).
    return record.staffKey === staffKey && record.version === item.version ? record : undefined;
  }

  async writeStaff(record: StaffRecord): Promise<void> {
    await mapped(`write the staff record of version ${record.version}`, () =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: pk(record.staffKey), sk: SK, version: record.version, record: JSON.stringify(record) },
          ...(record.version === 1
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: 'version = :previous',
                ExpressionAttributeValues: { ':previous': record.version - 1 },
              }),
        }),
      ),
    );
  }
}
