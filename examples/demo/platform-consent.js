// Before the demo writes to a real Apify account, it names the account (GET users/me) and asks. A
// wrong token or a forgotten export must never turn into 300k items pushed to someone's account.
import { createInterface } from 'node:readline/promises';
import { ApifyClient } from '@pluggable/apify-client';

/** Answers that go ahead; anything else (an empty line included) stops. */
const YES = new Set(['y', 'yes']);

/** Who the token belongs to: the one read-only request made before consent. */
async function accountOf(target) {
  const client = new ApifyClient({ baseUrl: target.baseUrl, token: target.token });
  try {
    const user = await client.user('me').get();
    if (user === undefined) throw new Error(`${target.baseUrl} has no user for this token`);
    return user.username ?? user.id;
  } finally {
    await client.close();
  }
}

/**
 * @returns {Promise<{ go: true, account: string } | { go: false, code: number, message: string }>}
 *   whether to run; when not, the exit code and the reason to print on stderr.
 */
export async function askPlatformConsent(target, { items, yes }, io = process) {
  const account = await accountOf(target);
  const what =
    `the demo pushes ${items.toLocaleString('en-US')} dataset items per client (3 clients) into new ` +
    `storages of the Apify account "${account}" at ${target.baseUrl}, and deletes them at the end`;
  if (yes) return { go: true, account };
  if (io.stdin.isTTY !== true || io.stderr.isTTY !== true) {
    return {
      go: false,
      code: 2,
      message: `Refusing to run: ${what}, and there is no terminal to ask for confirmation. Pass --yes to go ahead.`,
    };
  }
  const prompt = createInterface({ input: io.stdin, output: io.stderr });
  try {
    const answer = await prompt.question(`With --platform, ${what}. Go ahead? [y/N] `);
    if (YES.has(answer.trim().toLowerCase())) return { go: true, account };
    return { go: false, code: 1, message: 'Cancelled: nothing was written.' };
  } finally {
    prompt.close();
  }
}
