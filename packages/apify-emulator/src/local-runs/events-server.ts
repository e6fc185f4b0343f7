import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';

/** The path the platform events WebSocket of a run is served at (emulator-only: the platform's differs). */
const PATH = /^\/v2\/actor-runs\/([A-Za-z0-9]+)\/emulator\/events$/;

/** One message on the events WebSocket, shaped as the platform sends it and the SDK's event manager reads it. */
export interface PlatformEvent {
  name: 'persistState' | 'systemInfo' | 'migrating' | 'aborting';
  data: Record<string, unknown>;
}

/** The events channel of one run: every socket the run's processes opened. */
export class EventChannel {
  readonly key = randomBytes(16).toString('hex');
  readonly sockets = new Set<WebSocket>();
  /** Events nobody was connected for yet (an abort right after the start): sent to the first socket. */
  private pending: PlatformEvent[] = [];
  private readonly connectListeners = new Set<() => void>();

  send(event: PlatformEvent, options: { queue: boolean }): void {
    if (this.sockets.size === 0) {
      if (options.queue) this.pending.push(event);
      return;
    }
    const text = JSON.stringify({ name: event.name, createdAt: new Date().toISOString(), data: event.data });
    for (const socket of this.sockets) socket.send(text);
  }

  attach(socket: WebSocket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    // The SDK never writes; a client that does is ignored rather than trusted.
    socket.on('error', () => socket.terminate());
    const queued = this.pending;
    this.pending = [];
    for (const event of queued) this.send(event, { queue: false });
    for (const listener of [...this.connectListeners]) listener();
  }

  /** Resolves once a process of the run has connected (at once when one is). */
  connected(signal: AbortSignal): Promise<void> {
    if (this.sockets.size > 0 || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.connectListeners.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.connectListeners.add(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  /** A replaced process's sockets close with it; new ones start clean. */
  reset(): void {
    this.pending = [];
    for (const socket of this.sockets) socket.terminate();
    this.sockets.clear();
  }
}

/**
 * Serves `ws://HOST/v2/actor-runs/{id}/emulator/events?key=K` on the emulator's HTTP servers. The key is
 * made per run and given only to the run's process, so one run cannot listen to or spoof another's events.
 */
export class EventsServer {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  private readonly channels = new Map<string, EventChannel>();

  channel(runId: string): EventChannel {
    let channel = this.channels.get(runId);
    if (channel === undefined) {
      channel = new EventChannel();
      this.channels.set(runId, channel);
    }
    return channel;
  }

  drop(runId: string): void {
    this.channels.get(runId)?.reset();
    this.channels.delete(runId);
  }

  url(apiBaseUrl: string, runId: string): string {
    const base = apiBaseUrl.replace(/^http/, 'ws');
    return `${base}/v2/actor-runs/${runId}/emulator/events?key=${this.channel(runId).key}`;
  }

  /** An `upgrade` listener for an HTTP server: answers 404 to anything but a known run's events path. */
  readonly handleUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const runId = PATH.exec(url.pathname)?.[1];
    const channel = runId === undefined ? undefined : this.channels.get(runId);
    if (channel === undefined || url.searchParams.get('key') !== channel.key) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => channel.attach(ws));
  };

  close(): void {
    for (const channel of this.channels.values()) channel.reset();
    this.channels.clear();
    this.wss.close();
  }
}
