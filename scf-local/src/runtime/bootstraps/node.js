// scf-local's runner for Node.js event functions.
//
// scf-local starts this file with the machine's node and talks to it through the Custom Runtime
// API, exactly as it talks to a Custom Runtime's own bootstrap. Node 12+, built-in modules only.
//
// Environment it reads (set by scf-local): SCF_RUNTIME_API and SCF_RUNTIME_API_PORT (where the
// API is), _HANDLER ("file.function"), SCF_FUNCTIONNAME, SCF_FUNCTIONVERSION, SCF_NAMESPACE,
// TENCENTCLOUD_REGION, and when set TENCENTCLOUD_APPID and TENCENTCLOUD_UIN. The working directory
// is the code directory: the file is required relative to it ("src/app.main" loads src/app.js).
//
// A handler may be `async (event, context)` (or return a promise), or take a third argument,
// `callback(err, data)`; whichever settles first answers the event, and each event gets exactly
// one answer. A plain function with fewer than three parameters answers with its return value.
// If a callback-style handler never calls back and nothing else is pending, the answer is null.
// `context.callbackWaitsForEmptyEventLoop` is accepted but scf-local always answers as soon as
// the result is known. The result is JSON.stringify'd (undefined becomes null); a value it cannot
// encode is an error.
//
// Errors go to /error as {"errorCode": -1, "errorMessage", "requestId", "stackTrace",
// "statusCode"}: 430 for a thrown or rejected error or callback(err) (a non-Error value is
// turned into text), 400 for an event that is not JSON, and 437 for every event when the
// handler could not be loaded (no such file, a syntax error, no such function); the runner still
// reports ready in that case so that each invocation says what is wrong.
//
// While an event runs, console.log/info/debug (stdout) and console.warn/error/trace (stderr)
// prefix each line with "<ISO time>\t<request id>\t", like SCF's Node runtime.
'use strict';

const http = require('http');
const path = require('path');
const util = require('util');

const USER_ERROR = 430;
const HANDLER_NOT_FOUND = 437;
const BAD_EVENT = 400;

const host = process.env.SCF_RUNTIME_API;
const port = process.env.SCF_RUNTIME_API_PORT;

// The event being run: { requestId, finish(err, data) }, or null between events.
let current = null;

function call(method, route, body) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? null : Buffer.from(body, 'utf8');
    const headers = payload ? { 'content-length': payload.length } : {};
    const req = http.request({ host, port, method, path: route, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        if (res.statusCode < 200 || res.statusCode >= 300) {
          reject(new Error(`${method} ${route} answered HTTP ${res.statusCode}`));
        } else {
          resolve({ headers: res.headers, body: Buffer.concat(chunks) });
        }
      });
    });
    req.on('error', (err) => reject(new Error(`${method} ${route} failed: ${err.message}`)));
    req.end(payload || undefined);
  });
}

function errorObject(message, requestId, stack, status) {
  return JSON.stringify({
    errorCode: -1,
    errorMessage: message,
    requestId,
    stackTrace: stack,
    statusCode: status,
  });
}

function describe(err) {
  if (err instanceof Error) {
    return { message: err.message || err.name, stack: err.stack || '' };
  }
  let text;
  try {
    text = typeof err === 'string' ? err : JSON.stringify(err);
  } catch (_) {
    text = undefined;
  }
  return { message: text === undefined ? String(err) : text, stack: '' };
}

function loadHandler(spec) {
  const dot = spec.lastIndexOf('.');
  if (dot <= 0 || dot === spec.length - 1) {
    const message = `handler ${JSON.stringify(spec)} is not of the form file.function`;
    return { error: { message, stack: message } };
  }
  const file = spec.slice(0, dot);
  const name = spec.slice(dot + 1);
  try {
    const mod = require(path.resolve(process.cwd(), file));
    const fn = mod[name];
    if (typeof fn !== 'function') {
      throw new Error(`${file} has no exported function ${name}`);
    }
    return { fn };
  } catch (err) {
    const { message, stack } = describe(err);
    process.stderr.write(`${stack || message}\n`);
    return { error: { message: `handler ${spec} could not be loaded: ${message}`, stack } };
  }
}

function buildContext(headers, requestId) {
  const env = process.env;
  const namespace = env.SCF_NAMESPACE || '';
  const extra = { SCF_NAMESPACE: namespace };
  return {
    memory_limit_in_mb: Number(headers.memory_limit_in_mb) || 0,
    time_limit_in_ms: Number(headers.time_limit_in_ms) || 0,
    request_id: requestId,
    environment: JSON.stringify(extra),
    environ: Object.keys(extra).map((k) => `${k}=${extra[k]}`).join(';'),
    function_version: env.SCF_FUNCTIONVERSION || '',
    function_name: env.SCF_FUNCTIONNAME || '',
    namespace,
    tencentcloud_region: env.TENCENTCLOUD_REGION || '',
    tencentcloud_appid: env.TENCENTCLOUD_APPID || '',
    tencentcloud_uin: env.TENCENTCLOUD_UIN || '',
    callbackWaitsForEmptyEventLoop: true,
  };
}

// The one answer for a settled handler: [route, text].
function answer(requestId, err, data) {
  if (err !== null && err !== undefined) {
    const { message, stack } = describe(err);
    process.stderr.write(`${stack || message}\n`);
    return ['error', errorObject(message, requestId, stack, USER_ERROR)];
  }
  try {
    const text = JSON.stringify(data === undefined ? null : data);
    return ['response', text === undefined ? 'null' : text];
  } catch (e) {
    const message = `the handler's result cannot be encoded as JSON: ${e.message}`;
    process.stderr.write(`${message}\n`);
    return ['error', errorObject(message, requestId, '', USER_ERROR)];
  }
}

// Runs the handler for one event; resolves to [route, text] exactly once.
function runHandler(fn, event, context, requestId) {
  return new Promise((resolve) => {
    let done = false;
    const finish = (err, data) => {
      if (done) return;
      done = true;
      current = null;
      resolve(answer(requestId, err, data));
    };
    current = { requestId, finish };
    const callback = (err, data) => finish(err, data);
    let returned;
    try {
      returned = fn(event, context, callback);
    } catch (err) {
      finish(err === undefined || err === null ? new Error(String(err)) : err);
      return;
    }
    if (returned && typeof returned.then === 'function') {
      returned.then(
        (data) => finish(null, data),
        (err) => finish(err === undefined || err === null ? new Error(String(err)) : err),
      );
    } else if (fn.length < 3) {
      finish(null, returned);
    }
  });
}

async function handle(loaded, next) {
  const requestId = String(next.headers.request_id || '');
  if (loaded.error) {
    const { message, stack } = loaded.error;
    return ['error', errorObject(message, requestId, stack, HANDLER_NOT_FOUND)];
  }
  let event;
  try {
    event = JSON.parse(next.body.toString('utf8'));
  } catch (err) {
    const message = `the event is not valid JSON: ${err.message}`;
    return ['error', errorObject(message, requestId, '', BAD_EVENT)];
  }
  const context = buildContext(next.headers, requestId);
  return runHandler(loaded.fn, event, context, requestId);
}

function prefixConsole() {
  const wrap = (stream) => (...args) => {
    const text = util.format(...args);
    if (!current) {
      stream.write(`${text}\n`);
      return;
    }
    const prefix = `${new Date().toISOString()}\t${current.requestId}\t`;
    stream.write(`${text.split('\n').map((line) => prefix + line).join('\n')}\n`);
  };
  console.log = wrap(process.stdout);
  console.info = console.log;
  console.debug = console.log;
  console.warn = wrap(process.stderr);
  console.error = console.warn;
  console.trace = (...args) => {
    const err = new Error(util.format(...args));
    err.name = 'Trace';
    console.error(err.stack);
  };
}

async function main() {
  if (!host || !port) {
    process.stderr.write('scf-local node runner: SCF_RUNTIME_API and SCF_RUNTIME_API_PORT must be set\n');
    process.exit(2);
  }
  prefixConsole();
  // A callback-style handler that never calls back leaves nothing to wait for: answer null.
  process.on('beforeExit', () => {
    if (current) current.finish(null, null);
  });
  const loaded = loadHandler(process.env._HANDLER || '');
  await call('POST', '/runtime/init/ready', ' ');
  for (;;) {
    const next = await call('GET', '/runtime/invocation/next');
    const [route, text] = await handle(loaded, next);
    await call('POST', `/runtime/invocation/${route}`, text);
  }
}

main().catch((err) => {
  process.stderr.write(`scf-local node runner: runtime API ${host}:${port}: ${err.message}\n`);
  process.exit(1);
});
