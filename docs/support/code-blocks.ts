import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** One ```ts (or ```typescript) fence of a Markdown file. */
export interface CodeBlock {
  /** Markdown file, relative to the repository root (forward slashes). */
  file: string;
  /** 1-based line, in the Markdown file, of the block's first code line. */
  line: number;
  /** Words after the language in the info string, e.g. `runnable`. */
  flags: ReadonlySet<string>;
  code: string;
  /**
   * The repository file this block shows verbatim (`docs/examples/*.ts`), if any: it is checked
   * from that file's folder, so its relative imports resolve as they do in the file.
   */
  quotes?: string;
}

/** The flags a block may carry; anything else is a typo the test reports. */
export const KNOWN_FLAGS = new Set(['runnable', 'no-check']);

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)\s*(.*)$/;

/** Every TypeScript fence of `markdown`, in order. Fences of other languages are skipped whole. */
export function extractBlocks(file: string, markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] ?? '');
    if (open === null) continue;
    const [, indent = '', fence = '', language = '', rest = ''] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j] ?? '';
      // A closing fence: the same character, at least as long, and no info string.
      const [, , closing = '', info = ''] = FENCE.exec(line) ?? [];
      if (closing.startsWith(fence) && info === '') break;
      body.push(line.startsWith(indent) ? line.slice(indent.length) : line);
    }
    if (language === 'ts' || language === 'typescript') {
      const flags = new Set(rest.split(/\s+/).filter((word) => word !== ''));
      blocks.push({ file, line: i + 2, flags, code: `${body.join('\n')}\n` });
    }
    i = j;
  }
  return blocks;
}

/** `docs/**\/*.md` (without the generated `docs/api`), the root README and every package README. */
export async function markdownFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  async function walk(dir: string): Promise<void> {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'api' && entry.name !== 'node_modules') await walk(path);
      } else if (entry.name.endsWith('.md')) {
        found.push(path);
      }
    }
  }
  await walk(join(root, 'docs'));
  found.push(join(root, 'README.md'));
  for (const entry of await readdir(join(root, 'packages'), { withFileTypes: true })) {
    if (entry.isDirectory()) found.push(join(root, 'packages', entry.name, 'README.md'));
  }
  return found.map((path) => relative(root, path).split('\\').join('/')).sort();
}

/** The blocks of every documentation file, in file order, each linked to the example it quotes. */
export async function collectBlocks(root: string): Promise<CodeBlock[]> {
  const examples = new Map<string, string>();
  for (const name of await readdir(join(root, 'docs', 'examples'))) {
    if (!name.endsWith('.ts') || name.endsWith('.test.ts')) continue;
    const source = await readFile(join(root, 'docs', 'examples', name), 'utf8');
    examples.set(source.trimEnd(), `docs/examples/${name}`);
  }
  const blocks: CodeBlock[] = [];
  for (const file of await markdownFiles(root)) {
    for (const block of extractBlocks(file, await readFile(join(root, file), 'utf8'))) {
      const quotes = examples.get(block.code.trimEnd());
      blocks.push(quotes === undefined ? block : { ...block, quotes });
    }
  }
  return blocks;
}

/** `file:line` of a block, for test names and failure messages. */
export function where(block: CodeBlock): string {
  return `${block.file}:${block.line}`;
}
