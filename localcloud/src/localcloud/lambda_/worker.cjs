// Bootstrap of one warm Node.js Lambda worker (Node's own modules only): the Node.js twin of worker.py.
//
// The parent sends one JSON request per line on REQ_FD and reads one JSON line per outcome on RESP_FD; the
// handler's console output goes to this process's stdout, which the parent forwards to CloudWatch Logs.
// The handler string is resolved as AWS's Node.js runtime resolves it (extensionless, .js as CommonJS unless
// the nearest package.json says "type": "module", then .mjs, then .cjs) and its failures carry that runtime's
// error types and shapes (errorType, errorMessage, trace).
//
// Usage (by the runner only): node worker.cjs REQ_FD RESP_FD
'use strict';

const fs = require('fs');
const path = require('path');
const readline = require('readline');
const util = require('util');

const [requestFd, responseFd] = process.argv.slice(2).map(Number);

class RuntimeError extends Error {}
function runtimeError(kind, message) {
  const error = new RuntimeError(message);
  error.name = `Runtime.${kind}`;
  return error;
}

function errorPayload(error) {
  if (util.types.isNativeError(error) || (error && typeof error.stack === 'string' && typeof error.name === 'string')) {
    return { errorType: error.name, errorMessage: error.message, trace: error.stack.split('\n') };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

// console.* as the runtime writes them: timestamp, request id, level, message (one record per call).
let currentRequestId = 'undefined';
for (const [method, level] of [['log', 'INFO'], ['info', 'INFO'], ['warn', 'WARN'], ['error', 'ERROR'], ['debug', 'DEBUG'], ['trace', 'TRACE']]) {
  console[method] = (...args) => {
    process.stdout.write(`${new Date().toISOString()}\t${currentRequestId}\t${level}\t${util.format(...args)}\n`);
  };
}

function typeModule(folder) {
  if (folder.endsWith('/node_modules')) return false;
  const manifest = path.join(folder, 'package.json');
  if (fs.existsSync(manifest)) {
    try {
      return JSON.parse(fs.readFileSync(manifest, 'utf8')).type === 'module';
    } catch {
      return false;
    }
  }
  const parent = path.resolve(folder, '..');
  return parent === folder ? false : typeModule(parent);
}

function requireIfThere(file) {
  return fs.existsSync(file) ? require(file) : undefined;
}

async function importIfThere(file) {
  return fs.existsSync(file) ? import(file) : undefined;
}

async function loadModule(root, moduleRoot, name) {
  const base = path.resolve(root, moduleRoot, name);
  const extensionless = requireIfThere(base);
  if (extensionless) return extensionless;
  const esm = typeModule(path.dirname(base));
  const loaded =
    (!esm && requireIfThere(`${base}.js`)) ||
    (esm && (await importIfThere(`${base}.js`))) ||
    (await importIfThere(`${base}.mjs`)) ||
    requireIfThere(`${base}.cjs`);
  if (loaded) return loaded;
  return require(require.resolve(name, { paths: [root, moduleRoot] }));
}

async function loadHandler(root, handlerString) {
  if (handlerString.includes('..')) {
    throw runtimeError('MalformedHandlerName', `'${handlerString}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`);
  }
  const moduleAndHandler = path.basename(handlerString);
  const moduleRoot = handlerString.substring(0, handlerString.indexOf(moduleAndHandler));
  const match = moduleAndHandler.match(/^([^.]*)\.(.*)$/);
  if (!match) throw runtimeError('MalformedHandlerName', 'Bad handler');
  let module;
  try {
    module = await loadModule(root, moduleRoot, match[1]);
  } catch (error) {
    if (error instanceof SyntaxError) throw runtimeError('UserCodeSyntaxError', String(error));
    if (error && error.code === 'MODULE_NOT_FOUND') throw runtimeError('ImportModuleError', String(error));
    throw error;
  }
  const handler = match[2].split('.').reduce((nested, key) => nested && nested[key], module);
  if (!handler) throw runtimeError('HandlerNotFound', `${handlerString} is undefined or not exported`);
  if (typeof handler !== 'function') throw runtimeError('HandlerNotFound', `${handlerString} is not a function`);
  return handler;
}

function context(request) {
  const env = process.env;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: env.LOCALCLOUD_FUNCTION_ARN,
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: request.request_id,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
    getRemainingTimeInMillis: () => Math.max(0, request.deadline_ms - Date.now()),
  };
}

// An async handler's promise, or a callback handler's callback; a plain return value is not the response.
function run(handler, event, ctx) {
  return new Promise((resolve, reject) => {
    const callback = (error, result) => (error !== undefined && error !== null ? reject(error) : resolve(result));
    const returned = handler(event, ctx, callback);
    if (returned && typeof returned.then === 'function') returned.then(resolve, reject);
    else if (handler.length < 3) resolve(undefined);
  });
}

// As the runtime client serializes a result; its failure fails the invocation as an Error of its own.
function serialized(result) {
  try {
    return JSON.stringify(result === undefined ? null : result);
  } catch {
    throw new Error('Unable to stringify response body');
  }
}

function respond(outcome) {
  fs.writeSync(responseFd, JSON.stringify(outcome) + '\n');
}

async function main() {
  const started = process.hrtime.bigint();
  let handler;
  let initError;
  try {
    handler = await loadHandler(process.env.LAMBDA_TASK_ROOT, process.env._HANDLER);
  } catch (error) {
    initError = errorPayload(error);
    const logged = { errorType: initError.errorType, errorMessage: initError.errorMessage, stack: initError.trace };
    console.error(`Uncaught Exception \t${JSON.stringify(logged)}`);
  }
  respond({ ready: true, init_ms: Number(process.hrtime.bigint() - started) / 1e6 });

  const requests = readline.createInterface({ input: fs.createReadStream(null, { fd: requestFd }) });
  for await (const line of requests) {
    const request = JSON.parse(line);
    currentRequestId = request.request_id;
    let outcome;
    if (initError) {
      outcome = { error: initError };
    } else {
      try {
        const result = await run(handler, JSON.parse(request.event), context(request));
        outcome = { result: serialized(result) };
      } catch (error) {
        outcome = { error: errorPayload(error) };
        const logged = { errorType: outcome.error.errorType, errorMessage: outcome.error.errorMessage, stack: outcome.error.trace };
        console.error(`Invoke Error \t${JSON.stringify(logged)}`);
      }
    }
    respond(outcome);
  }
}

main();
