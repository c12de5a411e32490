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
const net = require('net');
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

// console.* as the runtime writes them: timestamp, request id, level, message; one record per call, its own
// line breaks written as \r so that CloudWatch keeps it one event.
let currentRequestId = 'undefined';
for (const [method, level] of [['log', 'INFO'], ['info', 'INFO'], ['warn', 'WARN'], ['error', 'ERROR'], ['debug', 'DEBUG'], ['trace', 'TRACE']]) {
  console[method] = (...args) => {
    const message = util.format(...args).replace(/\n/g, '\r');
    process.stdout.write(`${new Date().toISOString()}\t${currentRequestId}\t${level}\t${message}\n`);
  };
}

// What the runtime defines for every handler (response streaming answers as a buffered response here).
globalThis.awslambda = {
  streamifyResponse: (handler) => handler,
  HttpResponseStream: { from: (stream) => stream },
};

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

function context(request, settle) {
  const env = process.env;
  return {
    succeed: (result) => settle(null, result),
    fail: (error) => settle(error),
    done: (error, result) => settle(error, result),
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
function run(handler, event, request) {
  return new Promise((resolve, reject) => {
    const callback = (error, result) => (error !== undefined && error !== null ? reject(error) : resolve(result));
    const returned = handler(event, context(request, callback), callback);
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

// An uncaught exception or an unhandled rejection ends the environment, as the runtime ends it: the invocation
// in flight answers the error, and the process exits (the next invocation starts a new one).
let inFlight = false;
function crash(label, error, code) {
  const payload = errorPayload(error);
  console.error(`${label} \t${JSON.stringify({ errorType: payload.errorType, errorMessage: payload.errorMessage, stack: payload.trace })}`);
  if (inFlight) respond({ error: payload, fatal: true });
  process.exit(code);
}
process.on('uncaughtException', (error) => crash('Uncaught Exception', error, 129));
process.on('unhandledRejection', (reason) => {
  const error = new Error(reason instanceof Error ? String(reason) : String(reason?.errorMessage ?? reason));
  error.name = 'Runtime.UnhandledPromiseRejection';
  crash('Unhandled Promise Rejection', error, 128);
});

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

  // A socket, not a file stream: a file stream's read holds a thread, and the process could never exit.
  const requests = readline.createInterface({ input: new net.Socket({ fd: requestFd, readable: true, writable: false }) });
  for await (const line of requests) {
    const request = JSON.parse(line);
    currentRequestId = request.request_id;
    // The runtime sets the invocation's trace header where the X-Ray SDK reads it.
    if (request.trace_id) process.env._X_AMZN_TRACE_ID = request.trace_id;
    else delete process.env._X_AMZN_TRACE_ID;
    inFlight = true;
    let outcome;
    if (initError) {
      // Lambda ends an environment whose init failed; the next invocation runs init again.
      outcome = { error: initError, fatal: true };
    } else {
      try {
        const result = await run(handler, JSON.parse(request.event), request);
        outcome = { result: serialized(result) };
      } catch (error) {
        outcome = { error: errorPayload(error) };
        const logged = { errorType: outcome.error.errorType, errorMessage: outcome.error.errorMessage, stack: outcome.error.trace };
        console.error(`Invoke Error \t${JSON.stringify(logged)}`);
      }
    }
    respond(outcome);
    inFlight = false;
  }
}

main();
