// The same contract as ../python/app.py, as an ES module on the runtime's bundled AWS SDK v3.
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';

const table = new DynamoDBClient({});
const RUNTIME = process.env.AWS_EXECUTION_ENV.replace('AWS_Lambda_', '');

async function record(id, source) {
  const item = { id: { S: id }, source: { S: source }, runtime: { S: RUNTIME }, version: { S: process.version } };
  await table.send(new PutItemCommand({ TableName: process.env.TABLE, Item: item }));
}

export const handler = async (event, context) => {
  if (event.requestContext) {
    return { statusCode: 200, body: JSON.stringify({ runtime: RUNTIME, version: process.version }) };
  }
  if (event.Records) {
    for (const message of event.Records) await record(message.body, message.eventSource);
    return { batchItemFailures: [] };
  }
  await record(event.id, event.source);
  return { runtime: RUNTIME, version: process.version, requestId: context.awsRequestId };
};
