import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Certificates } from './servers.js';

export const NGINX = '/usr/sbin/nginx';

/**
 * The nginx suite runs Debian's nginx (nginx-light has the http_v2 and ssl modules). On a machine
 * without it it is installed from Debian once; where that is impossible the suite fails saying
 * what to install, never skips.
 */
export function ensureNginx(): string {
  if (!existsSync(NGINX)) {
    try {
      execFileSync('apt-get', ['update'], { stdio: 'inherit' });
      execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'nginx-light'], {
        stdio: 'inherit',
      });
    } catch (error) {
      throw new Error(
        `The nginx tests need nginx at ${NGINX}, and installing it with apt-get failed: ` +
          `${(error as Error).message}. Install it (Debian/Ubuntu: apt-get install nginx-light) and run the tests again.`,
      );
    }
    if (!existsSync(NGINX)) throw new Error(`apt-get installed nginx-light, but ${NGINX} is still missing`);
  }
  // `nginx -V` prints its build options on stderr.
  const options = execFileSync('sh', ['-c', `${NGINX} -V 2>&1`], { encoding: 'utf8' });
  for (const module of ['--with-http_v2_module', '--with-http_ssl_module']) {
    if (!options.includes(module))
      throw new Error(
        `${NGINX} was built without ${module}; install a Debian nginx that has it (nginx-light)`,
      );
  }
  return NGINX;
}

/** One `server` block: where it listens and how many requests nginx serves per connection. */
export interface NginxListener {
  tls: boolean;
  http2: boolean;
  keepaliveRequests?: number;
}

export interface Nginx {
  /** `https://127.0.0.1:<port>` or `http://…`, one per listener, in the order given. */
  urls: string[];
  /** What nginx logged to its error log (shown when a test fails to start it). */
  errors(): Promise<string>;
  stop(): Promise<void>;
}

/** Ports nothing listens on now: each is taken from the kernel (port 0), then released for nginx. */
async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  for (let i = 0; i < count; i++) {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
  }
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

/** Resolves once something accepts TCP connections on the port, or rejects when nginx exited. */
async function listening(port: number, nginx: ChildProcess): Promise<void> {
  for (;;) {
    if (nginx.exitCode !== null || nginx.signalCode !== null)
      throw new Error(`nginx exited (${nginx.exitCode ?? nginx.signalCode}) before listening on ${port}`);
    const connected = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
      socket.connect(port, '127.0.0.1');
    });
    if (connected) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function serverBlock(listener: NginxListener, port: number, certs: Certificates): string {
  const flags = `${listener.tls ? ' ssl' : ''}${listener.http2 ? ' http2' : ''}`;
  return `
    server {
      listen 127.0.0.1:${port}${flags};
      ${listener.tls ? `ssl_certificate ${certs.caPath}; ssl_certificate_key ${join(certs.dir, 'key.pem')};` : ''}
      keepalive_requests ${listener.keepaliveRequests ?? 1000};
      location / {
        add_header X-Connection $connection always;
        add_header X-Connection-Requests $connection_requests always;
        return 200 "ok";
      }
    }`;
}

/**
 * nginx in the foreground as one process (no master, no daemon), everything it writes in a temp
 * dir. Each response names the connection nginx served it on (`$connection`, a serial number)
 * and how many requests that connection has carried (`$connection_requests`).
 */
export async function startNginx(listeners: NginxListener[], certs: Certificates): Promise<Nginx> {
  const binary = ensureNginx();
  const dir = await mkdtemp(join(tmpdir(), 'pluggable-nginx-'));
  await mkdir(join(dir, 'temp'));
  const ports = await freePorts(listeners.length);
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((kind) => `${kind}_temp_path ${join(dir, 'temp', kind)};`)
    .join('\n    ');
  const config = `
daemon off;
master_process off;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 256; }
http {
    access_log off;
    ${temp}
    ${listeners.map((listener, i) => serverBlock(listener, ports[i] as number, certs)).join('\n')}
}
`;
  const configPath = join(dir, 'nginx.conf');
  await writeFile(configPath, config);
  const child = spawn(binary, ['-p', dir, '-e', join(dir, 'error.log'), '-c', configPath], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const errors = async () => `${stderr}${await readFile(join(dir, 'error.log'), 'utf8').catch(() => '')}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (const port of ports) await listening(port, child);
  } catch (error) {
    const log = await errors();
    await stop();
    throw new Error(`${(error as Error).message}: ${log}`);
  }
  const urls = listeners.map((listener, i) => `${listener.tls ? 'https' : 'http'}://127.0.0.1:${ports[i]}`);
  return { urls, errors, stop };
}
