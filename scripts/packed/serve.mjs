// Runs a compiled example that starts a server, sends it requests, and stops it.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const HOOK = fileURLToPath(new URL('./listen-on-free-port.mjs', import.meta.url));
const REDIS_PREFIX_HOOK = fileURLToPath(new URL('./redis-prefix-hook.mjs', import.meta.url));
const START_TIMEOUT_MS = 60_000;

/**
 * Starts `node file` (with `nodeBinary`) in `cwd` (a RedisStore without a prefix gets
 * `env.HALLPASS_EXAMPLE_REDIS_PREFIX` when set: redis-prefix-hook.mjs), waits until it listens, sends each request
 * (`{ method, path, status, form?, contains? }`; the
 * session cookie a response sets is sent with the next request) and checks the status. Resolves with a list of problems ([] when
 * every request got its status); the process is always stopped.
 */
export async function serveAndRequest({ nodeBinary, file, cwd, env, requests }) {
  const child = spawn(nodeBinary, ['--import', HOOK, '--import', REDIS_PREFIX_HOOK, file], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk) => {
    output += chunk;
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  try {
    const base = await Promise.race([
      new Promise((resolve) => {
        const check = () => {
          const match = /hallpass-docs-listening (\S+)/.exec(output);
          if (match) resolve(match[1]);
          else setTimeout(check, 50);
        };
        check();
      }),
      exited.then(({ code, signal }) => {
        throw new Error(`exited (${code ?? signal}) before listening`);
      }),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error('did not listen within 60 s')), START_TIMEOUT_MS).unref(),
      ),
    ]);
    const problems = [];
    let cookie = '';
    for (const request of requests) {
      const headers = cookie ? { cookie } : {};
      if (request.form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
      const response = await fetch(`${base}${request.path}`, {
        method: request.method,
        headers,
        body: request.form,
        redirect: 'manual',
        signal: AbortSignal.timeout(20_000),
      });
      const setCookie = response.headers.get('set-cookie');
      if (setCookie) cookie = setCookie.split(';')[0];
      const body = await response.text();
      if (response.status !== request.status) {
        problems.push(
          `${request.method} ${request.path}: status ${response.status}, expected ${request.status}: ${body.slice(0, 300)}`,
        );
      } else if (request.contains !== undefined && !body.includes(request.contains)) {
        problems.push(
          `${request.method} ${request.path}: body lacks ${JSON.stringify(request.contains)}: ${body.slice(0, 300)}`,
        );
      }
    }
    return problems;
  } catch (error) {
    return [`${error.message}\n${output.slice(-2000)}`];
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(timer);
    }
  }
}
