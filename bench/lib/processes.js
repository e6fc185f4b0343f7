// Child processes of the harness: the HTTP server, the measurement children, other commands.
import { execFile, fork, spawn } from 'node:child_process';
import { once } from 'node:events';

const CHILD = new URL('./child.js', import.meta.url);

/** Forks a Node script that announces its port over IPC ({ port }). */
export async function startNodeServer(script) {
  const child = fork(script, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const [message] = await Promise.race([
    once(child, 'message'),
    once(child, 'exit').then(([code]) => {
      throw new Error(`${script} exited with code ${code} before listening`);
    }),
  ]);
  return {
    port: message.port,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.disconnect();
      await exited;
    },
  };
}

function forkChild() {
  return fork(CHILD, { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

/** The child's next reply; rejects with its stack, or when it dies first. */
async function nextReply(child) {
  const exited = once(child, 'exit').then(([code, signal]) => ({ code, signal }));
  const outcome = await Promise.race([once(child, 'message').then(([m]) => m), exited]);
  if (outcome.ok === true) return outcome.result;
  if (outcome.ok === false) throw new Error(outcome.error);
  throw new Error(`measurement child died (code ${outcome.code}, signal ${outcome.signal})`);
}

/** Runs `module`'s exported `run(args)` in a fresh Node process; rejects with the child's stack. */
export async function runInChild(module, args, { timeoutMs = 600_000 } = {}) {
  const child = forkChild();
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  try {
    const exited = once(child, 'exit');
    child.send({ mode: 'run', module: String(module), args });
    const result = await nextReply(child);
    await exited;
    return result;
  } finally {
    clearTimeout(timer);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

/**
 * Starts a child that runs `module`'s `setup(args)` and then measures once per `measure()` call;
 * `close()` ends it.
 */
export async function startSession(module, args) {
  const child = forkChild();
  child.send({ mode: 'serve', module: String(module), args });
  try {
    await nextReply(child);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    measure() {
      child.send('measure');
      return nextReply(child);
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.send('close');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs a command to completion, returning stdout; rejects with stderr on a non-zero exit. */
export function runCommand(file, args, { timeoutMs = 600_000 } = {}) {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args.join(' ')} failed: ${stderr || error.message}`));
      else resolve(stdout);
    });
  });
}

/** Starts a long-running command and resolves with the first stdout line (e.g. a URL it prints). */
export async function startCommand(file, args) {
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let buffer = '';
  const line = await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      const end = buffer.indexOf('\n');
      if (end !== -1) resolve(buffer.slice(0, end).trim());
    });
    child.once('exit', (code) => reject(new Error(`${file} exited with code ${code} before it was ready`)));
  });
  return {
    line,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
