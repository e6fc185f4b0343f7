import type { ServerResponse } from 'node:http';
import busboy from 'busboy';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type FileInit, Request } from '../src/index.js';
import { httpServer, type TestServer } from './support/servers.js';
import { report, sha256 } from './support/upload-server.js';

const SEED = 0x3a17;
const run = (numRuns: number) => ({ seed: SEED, numRuns });

interface Parsed {
  kind: 'field' | 'file';
  name: string;
  filename: string | null;
  mimeType: string;
  bytes: Buffer;
}

/** Parses an encoded body with busboy in process, keeping paths in filenames and every byte. */
async function parse(contentType: string, body: Uint8Array): Promise<Parsed[]> {
  const parser = busboy({
    headers: { 'content-type': contentType },
    defParamCharset: 'utf8',
    preservePath: true,
  });
  const parts: Array<Promise<Parsed>> = [];
  parser.on('field', (name, value, info) => {
    parts.push(
      Promise.resolve({
        kind: 'field',
        name,
        filename: null,
        mimeType: info.mimeType,
        bytes: Buffer.from(value),
      }),
    );
  });
  parser.on('file', (name, stream, info) => {
    parts.push(
      (async (): Promise<Parsed> => {
        const chunks: Buffer[] = [];
        for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
        return {
          kind: 'file',
          name,
          filename: info.filename ?? null,
          mimeType: info.mimeType,
          bytes: Buffer.concat(chunks),
        };
      })(),
    );
  });
  const done = new Promise<void>((resolve, reject) => {
    parser.on('close', resolve);
    parser.on('error', reject);
  });
  parser.end(Buffer.from(body));
  await done;
  return Promise.all(parts);
}

// The documented escaping of names and filenames: `"` → %22, C0 controls → %XX (a backslash is
// written `\\`, which a parser reads back as one). ESC and DEL are encoded too (HTTPX writes them
// raw, and busboy rejects such a part header).
const escaped = (text: string) =>
  text.replace(/["\x00-\x1f\x7f]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
const nameText = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '"',
        '\\',
        '\t',
        '\x01',
        '\x1f',
        '\x1b',
        '\x7f',
        ';',
        '=',
        ' ',
        "'",
        '%22',
        'é',
        '😀',
        '\r\n',
        'a',
        'Z',
      ),
      fc.string({ unit: 'grapheme', maxLength: 3 }),
    ),
    { minLength: 1, maxLength: 6 },
  )
  .map((parts) => parts.join(''))
  // busboy reports an empty name as undefined, so names are never empty here.
  .filter((text) => text !== '');

// Extensions with a known guess, and types given explicitly (busboy reports type/subtype, lower case).
const GUESSES: Array<[string, string]> = [
  ['.txt', 'text/plain'],
  ['.png', 'image/png'],
  ['.json', 'application/json'],
  ['.zzzq', 'application/octet-stream'],
  ['', 'application/octet-stream'],
];
const EXPLICIT_TYPES = ['application/x-custom', 'image/svg+xml', 'text/csv', 'application/vnd.api+json'];

const bytes = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  // Delimiter look-alikes inside content must not end a part early.
  fc
    .array(fc.constantFrom('\r\n', '--', '\r\n--', 'x', '\r', '\n'), { maxLength: 12 })
    .map((p) => new TextEncoder().encode(p.join(''))),
);

interface FileCase {
  field: string;
  filename: string;
  extension: [string, string];
  explicitType: string | null;
  content: Uint8Array;
  form: 'bytes' | 'blob';
}
const fileCase: fc.Arbitrary<FileCase> = fc.record({
  field: nameText,
  filename: nameText,
  extension: fc.constantFrom(...GUESSES),
  explicitType: fc.option(fc.constantFrom(...EXPLICIT_TYPES), { nil: null }),
  content: bytes,
  form: fc.constantFrom('bytes' as const, 'blob' as const),
});
const fieldCase = fc.tuple(
  nameText,
  fc.array(fc.string({ unit: 'grapheme', maxLength: 20 }), { minLength: 1, maxLength: 3 }),
);

function fileInit(f: FileCase): FileInit {
  const content = f.form === 'blob' ? new Blob([Buffer.from(f.content)]) : f.content;
  return [`${f.filename}${f.extension[0]}`, content, f.explicitType];
}

function expectedParts(fields: Array<[string, string[]]>, files: FileCase[]) {
  const data = Object.fromEntries(fields);
  return [
    // Fields first, in the data object's own order (integer-like keys come first in JS).
    ...Object.entries(data).flatMap(([name, values]) =>
      values.map((value) => ({
        kind: 'field',
        name: escaped(name),
        filename: null,
        mimeType: 'text/plain',
        bytes: Buffer.from(value),
      })),
    ),
    ...files.map((f) => ({
      kind: 'file',
      name: escaped(f.field),
      filename: escaped(`${f.filename}${f.extension[0]}`),
      mimeType: f.explicitType ?? f.extension[1],
      bytes: Buffer.from(f.content),
    })),
  ];
}

describe('multipart encoding (property-based)', () => {
  it('busboy reads back exactly the fields, bytes, filenames and content types that were encoded', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fieldCase, { maxLength: 4 }),
        fc.array(fileCase, { minLength: 1, maxLength: 4 }),
        async (fields, files) => {
          const request = new Request('POST', 'http://127.0.0.1/', {
            data: Object.fromEntries(fields),
            files: files.map((f) => [f.field, fileInit(f)] as const),
          });
          const body = await request.read();
          expect(request.headers.get('content-length')).toBe(String(body.byteLength));
          const parts = await parse(request.headers.get('content-type') as string, body);
          expect(parts).toEqual(expectedParts(fields, files));
        },
      ),
      run(250),
    );
  });

  it('a file without a filename is a plain part: no filename, no guessed type', async () => {
    await fc.assert(
      fc.asyncProperty(nameText, fc.string({ unit: 'grapheme', maxLength: 40 }), async (field, text) => {
        const request = new Request('POST', 'http://127.0.0.1/', { files: [[field, [null, text]]] });
        const body = Buffer.from(await request.read()).toString('latin1');
        expect(body).not.toMatch(/filename=|Content-Type:/);
        const parts = await parse(request.headers.get('content-type') as string, await request.read());
        expect(parts).toEqual([
          {
            kind: 'field',
            name: escaped(field),
            filename: null,
            mimeType: 'text/plain',
            bytes: Buffer.from(text),
          },
        ]);
      }),
      run(150),
    );
  });
});

describe('multipart over the wire (property-based)', () => {
  let server: TestServer;
  let client: Client;
  beforeAll(async () => {
    server = await httpServer(async (req, res: ServerResponse) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(await report(req)));
    });
    client = new Client();
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  it('a loopback server parsing with busboy sees the same parts, by hash', async () => {
    // The server's busboy keeps only a filename's last path segment, so no slashes here.
    const wireFile = fileCase.filter((f) => !/[/\\]/.test(f.filename));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fieldCase, { maxLength: 3 }),
        fc.array(wireFile, { minLength: 1, maxLength: 3 }),
        async (fields, files) => {
          const response = await client.post(server.url, {
            data: Object.fromEntries(fields),
            files: files.map((f) => [f.field, fileInit(f)] as const),
          });
          const received = response.json() as {
            parts: Array<{
              kind: string;
              name: string;
              filename: string | null;
              mimeType: string;
              sha256: string;
            }>;
          };
          const seen = received.parts.map(({ kind, name, filename, mimeType, sha256: hash }) => ({
            kind,
            name,
            filename,
            mimeType,
            sha256: hash,
          }));
          expect(seen).toEqual(
            expectedParts(fields, files).map(({ bytes: content, ...rest }) => ({
              ...rest,
              sha256: sha256(content),
            })),
          );
        },
      ),
      run(40),
    );
  });
});
