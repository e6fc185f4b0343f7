const encoder = new TextEncoder();

/** A run's or build's log: appended while the job runs, followable until it finishes. */
export class JobLog {
  private readonly chunks: string[] = [];
  private readonly listeners = new Set<() => void>();
  private finished = false;
  private chars = 0;

  /** A log read back from the storage folder: its text as it was, finished or still open. */
  static restore(text: string, finished: boolean): JobLog {
    const log = new JobLog();
    if (text !== '') log.chunks.push(text);
    log.chars = text.length;
    log.finished = finished;
    return log;
  }

  /** Characters written so far (UTF-16 units, as `text().length`). */
  get length(): number {
    return this.chars;
  }

  /** The text from character `offset` on. */
  textFrom(offset: number): string {
    return this.text().slice(offset);
  }

  write(message: string): void {
    if (this.finished) return;
    const lines = message.split('\n').map((line) => `${new Date().toISOString()} ${line}\n`);
    const chunk = lines.join('');
    this.chunks.push(chunk);
    this.chars += chunk.length;
    this.notify();
  }

  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.notify();
  }

  /** A resurrected run writes on: followers started after this see the new lines until it finishes again. */
  reopen(): void {
    this.finished = false;
  }

  get isFinished(): boolean {
    return this.finished;
  }

  text(): string {
    return this.chunks.join('');
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** Everything written so far, then each new chunk as it comes, ending when the job ends. */
  follow(signal: AbortSignal): ReadableStream<Uint8Array> {
    let sent = 0;
    let wake: (() => void) | null = null;
    const onChange = (): void => {
      const w = wake;
      wake = null;
      w?.();
    };
    this.listeners.add(onChange);
    const stop = (): void => {
      this.listeners.delete(onChange);
      onChange();
    };
    signal.addEventListener('abort', stop, { once: true });
    return new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        for (;;) {
          if (sent < this.chunks.length) {
            controller.enqueue(encoder.encode(this.chunks.slice(sent).join('')));
            sent = this.chunks.length;
            return;
          }
          if (this.finished || signal.aborted) {
            stop();
            controller.close();
            return;
          }
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
        }
      },
      cancel: () => {
        stop();
      },
    });
  }
}
