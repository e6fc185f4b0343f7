import { read } from 'read';
import { CliUsageError } from './args.js';

/** `--auth USER -` asks for the password, as HTTPX's CLI does, so it stays out of shell history. */
export const PROMPT_FOR_PASSWORD = '-';

export interface PromptIO {
  stdin: NodeJS.ReadStream;
  stderr: NodeJS.WriteStream;
}

/** Ctrl-C at the prompt: the caller exits with 130 as for any interrupt. */
export class PromptInterrupted extends Error {
  override name = 'PromptInterrupted';
}

/**
 * Reads the password on the terminal without echoing it. Without a terminal there is nobody to
 * ask, and reading a piped stdin would take data meant for something else, so it is a usage error.
 */
export async function askPassword(user: string, io: PromptIO): Promise<string> {
  if (io.stdin.isTTY !== true) {
    throw new CliUsageError(
      `--auth ${user} -: no terminal to ask for the password on; give the password as the second value`,
    );
  }
  try {
    // The prompt goes to stderr, so `pluggable-http ... > out.json` still prompts on the terminal.
    return await read({ prompt: `Password for ${user}: `, silent: true, input: io.stdin, output: io.stderr });
  } catch (error) {
    if ((error as Error).message === 'canceled')
      throw new PromptInterrupted('interrupted at the password prompt');
    throw error;
  } finally {
    // read() leaves stdin flowing; a paused stdin lets the process exit when the request is done.
    io.stdin.pause();
  }
}
