// The DynamoDB client, configured once (adapters/aws.ts), and the document client over it.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { clientConfig, type ClientOptions } from '../aws.js';

export function createDynamoClient(options: ClientOptions = {}): DynamoDBClient {
  return new DynamoDBClient(clientConfig('DYNAMODB', options));
}

export function documentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
}
