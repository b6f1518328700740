// The Lambda runtime, as far as a handler can tell: run by the Lambda Node.js major (test/deployed/lambda-node.ts)
// with exactly the function's environment, it imports the bundle as Lambda does (`index.mjs`, `handler`), then
// answers invocations over IPC the way the runtime interface client reports them: the handler's result, or the
// thrown error's `name` as errorType and its `message` as errorMessage. One process per function, reused across
// invocations like a warm execution environment. It also records every environment variable the code read.
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';

const [bundle, handlerName = 'handler'] = process.argv.slice(2);

const read = new Set();
const realEnv = process.env;
process.env = new Proxy(realEnv, {
  get(target, key) {
    if (typeof key === 'string') read.add(key);
    return Reflect.get(target, key);
  },
  has(target, key) {
    if (typeof key === 'string') read.add(key);
    return Reflect.has(target, key);
  },
});

const send = (message) => process.send(message);

function errorReport(error) {
  const e = error instanceof Error ? error : new Error(String(error));
  return { errorType: e.name, errorMessage: e.message, stack: e.stack };
}

let handler;
try {
  const mod = await import(pathToFileURL(bundle).href);
  handler = mod[handlerName];
  if (typeof handler !== 'function') throw new TypeError(`${bundle} does not export ${handlerName}`);
  send({ type: 'loaded', node: process.version });
} catch (error) {
  send({ type: 'load-failed', ...errorReport(error) });
  process.exit(1);
}

const timeoutMs = Number(realEnv.BK_HARNESS_TIMEOUT_MS ?? 30000);
process.on('message', async (message) => {
  if (message.type === 'env-read') {
    send({ type: 'env-read', id: message.id, keys: [...read].sort() });
    return;
  }
  if (message.type !== 'invoke') return;
  const deadline = Date.now() + timeoutMs;
  const name = realEnv.AWS_LAMBDA_FUNCTION_NAME;
  const context = {
    functionName: name,
    functionVersion: realEnv.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: `arn:aws:lambda:${realEnv.AWS_REGION}:123456789012:function:${name}`,
    memoryLimitInMB: realEnv.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: randomUUID(),
    logGroupName: realEnv.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: realEnv.AWS_LAMBDA_LOG_STREAM_NAME,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    callbackWaitsForEmptyEventLoop: true,
  };
  let timer;
  try {
    const result = await Promise.race([
      handler(message.event, context),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(Object.assign(new Error('Task timed out'), { name: 'Sandbox.Timedout' })),
          timeoutMs,
        );
      }),
    ]);
    send({ type: 'result', id: message.id, ok: true, result: result ?? null });
  } catch (error) {
    send({ type: 'result', id: message.id, ok: false, ...errorReport(error) });
  } finally {
    clearTimeout(timer);
  }
});
