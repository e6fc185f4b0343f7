import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { createProxy } from 'proxy';

export interface TestProxy extends AsyncDisposable {
  url: string;
  port: number;
  /** Request targets of forwarded requests, as the proxy saw them on the request line. */
  forwarded: string[];
  /** `host:port` of every CONNECT the proxy received. */
  tunnels: string[];
  /** Proxy-Authorization values received (forwarded and CONNECT). */
  authorizations: Array<string | undefined>;
  close(): Promise<void>;
}

/** A real HTTP proxy (`proxy` package) on loopback; with `credentials` it demands Basic auth. */
export async function startProxy(credentials?: [string, string]): Promise<TestProxy> {
  const forwarded: string[] = [];
  const tunnels: string[] = [];
  const authorizations: Array<string | undefined> = [];
  const server = createProxy(http.createServer());
  server.prependListener('request', (req: http.IncomingMessage) => {
    forwarded.push(req.url ?? '');
    authorizations.push(req.headers['proxy-authorization']);
  });
  server.prependListener('connect', (req: http.IncomingMessage) => {
    tunnels.push(req.url ?? '');
    authorizations.push(req.headers['proxy-authorization']);
  });
  if (credentials !== undefined) {
    const expected = `Basic ${Buffer.from(credentials.join(':')).toString('base64')}`;
    server.authenticate = (req) => req.headers['proxy-authorization'] === expected;
  }
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    forwarded,
    tunnels,
    authorizations,
    close,
    [Symbol.asyncDispose]: close,
  };
}

export interface SocksRequest {
  /** 1 = IPv4, 3 = domain name, 4 = IPv6 (RFC 1928 ATYP). */
  addressType: number;
  host: string;
  port: number;
  username: string | null;
}

export interface TestSocksServer extends AsyncDisposable {
  url: string;
  port: number;
  requests: SocksRequest[];
  close(): Promise<void>;
}

/** A minimal SOCKS5 server (RFC 1928/1929): no-auth or username/password, CONNECT only. */
export async function startSocksServer(credentials?: [string, string]): Promise<TestSocksServer> {
  const requests: SocksRequest[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    let buffer = Buffer.alloc(0);
    let stage: 'greeting' | 'auth' | 'request' = 'greeting';
    let username: string | null = null;
    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (stage === 'greeting') {
        if (buffer.length < 2 || buffer.length < 2 + (buffer[1] as number)) return;
        const methods = [...buffer.subarray(2, 2 + (buffer[1] as number))];
        buffer = buffer.subarray(2 + (buffer[1] as number));
        const method = credentials === undefined ? 0x00 : 0x02;
        if (!methods.includes(method)) return void client.end(Buffer.from([5, 0xff]));
        client.write(Buffer.from([5, method]));
        stage = credentials === undefined ? 'request' : 'auth';
      }
      if (stage === 'auth') {
        const ulen = buffer[1];
        if (ulen === undefined || buffer.length < 3 + ulen) return;
        const plen = buffer[2 + ulen];
        if (plen === undefined || buffer.length < 3 + ulen + plen) return;
        username = buffer.subarray(2, 2 + ulen).toString();
        const password = buffer.subarray(3 + ulen, 3 + ulen + plen).toString();
        buffer = buffer.subarray(3 + ulen + plen);
        const ok = credentials !== undefined && username === credentials[0] && password === credentials[1];
        if (!ok) return void client.end(Buffer.from([1, 1]));
        client.write(Buffer.from([1, 0]));
        stage = 'request';
      }
      if (stage === 'request') {
        if (buffer.length < 5) return;
        const addressType = buffer[3] as number;
        let host: string;
        let offset: number;
        if (addressType === 1) {
          if (buffer.length < 10) return;
          host = [...buffer.subarray(4, 8)].join('.');
          offset = 8;
        } else if (addressType === 3) {
          const length = buffer[4] as number;
          if (buffer.length < 7 + length) return;
          host = buffer.subarray(5, 5 + length).toString();
          offset = 5 + length;
        } else {
          if (buffer.length < 22) return;
          const hex = buffer.subarray(4, 20).toString('hex');
          host = (hex.match(/.{4}/g) as string[]).join(':');
          offset = 20;
        }
        const port = buffer.readUInt16BE(offset);
        requests.push({ addressType, host, port, username });
        client.off('data', onData);
        const upstream = net.connect(port, host, () => {
          client.write(Buffer.from([5, 0, 0, 1, 127, 0, 0, 1, 0, 0]));
          upstream.pipe(client);
          client.pipe(upstream);
        });
        upstream.on('error', () => client.end(Buffer.from([5, 5, 0, 1, 0, 0, 0, 0, 0, 0])));
        client.on('close', () => upstream.destroy());
      }
    };
    client.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { url: `socks5://127.0.0.1:${port}`, port, requests, close, [Symbol.asyncDispose]: close };
}
