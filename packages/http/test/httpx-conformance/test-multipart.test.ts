// HTTPX tests/test_multipart.py (0.28), case by case.

import { createReadStream } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Client, MockTransport, Request, Response, UsageError } from '../../src/index.js';

// The boundary is fixed through the Content-Type header, as HTTPX's tests fix it by patching urandom.
const boundary = '+++';
const headers = { 'Content-Type': `multipart/form-data; boundary=${boundary}` };

async function body(request: Request): Promise<string> {
  return Buffer.from(await request.read()).toString('utf8');
}

function echo(): Client {
  return new Client({
    transport: new MockTransport(async (request) => new Response(200, { content: await request.read() })),
  });
}

describe('HTTPX tests/test_multipart.py', () => {
  for (const value of ['abc', new TextEncoder().encode('abc')] as const) {
    it(`test_multipart[${typeof value === 'string' ? 'str' : 'bytes'}]`, async () => {
      await using client = echo();
      // Bytes as a form value go as a file without a name: the closest our types allow.
      const response = await client.post('http://127.0.0.1:8000/', {
        headers,
        data: { text: 'abc' },
        files: { file: ['f.bin', value, 'application/octet-stream'] },
      });
      expect(response.text).toBe(
        '--+++\r\nContent-Disposition: form-data; name="text"\r\n\r\nabc\r\n' +
          '--+++\r\nContent-Disposition: form-data; name="file"; filename="f.bin"\r\nContent-Type: application/octet-stream\r\n\r\nabc\r\n' +
          '--+++--\r\n',
      );
    });
  }

  for (const value of [{ key: 'value' }, new Date(0), () => 1]) {
    it(`test_multipart_invalid_value[${typeof value === 'function' ? 'function' : value.constructor.name}]`, async () => {
      let sent = 0;
      await using client = new Client({
        transport: new MockTransport(() => {
          sent += 1;
          return new Response(200);
        }),
      });
      const data = { text: value } as unknown as Record<string, string>;
      await expect(
        client.post('http://127.0.0.1:8000/', { data, files: { file: ['a.txt', 'x'] } }),
      ).rejects.toThrow(UsageError);
      await expect(
        client.post('http://127.0.0.1:8000/', { data, files: { file: ['a.txt', 'x'] } }),
      ).rejects.toThrow(
        /^Invalid type for form field "text": expected a string, number, boolean, bigint or null, got /,
      );
      expect(sent).toBe(0);
    });
  }

  it('test_multipart_invalid_key (pairs with a non-string field name)', () => {
    const files = [[1 as unknown as string, ['a.txt', 'x']]] as const;
    expect(() => new Request('POST', 'http://127.0.0.1:8000/', { files: files as never })).toThrow(
      'Invalid type for multipart field name: expected a string, got 1',
    );
  });

  it('test_multipart_file_tuple', async () => {
    const request = new Request('POST', 'http://127.0.0.1:8000/', {
      headers,
      data: { text: ['abc'] },
      files: { file: ['name.txt', '<file content>'] },
    });
    expect(await body(request)).toBe(
      '--+++\r\nContent-Disposition: form-data; name="text"\r\n\r\nabc\r\n' +
        '--+++\r\nContent-Disposition: form-data; name="file"; filename="name.txt"\r\nContent-Type: text/plain\r\n\r\n<file content>\r\n' +
        '--+++--\r\n',
    );
  });

  for (const contentType of [null, 'text/plain']) {
    it(`test_multipart_file_tuple_headers[${contentType}]`, async () => {
      const request = new Request('POST', 'http://x/', {
        headers,
        files: { file: ['test.txt', '<file content>', contentType, { Expires: '0' }] },
      });
      const expected =
        '--+++\r\nContent-Disposition: form-data; name="file"; filename="test.txt"\r\nExpires: 0\r\nContent-Type: text/plain\r\n\r\n<file content>\r\n--+++--\r\n';
      expect(await body(request)).toBe(expected);
      expect(request.headers.get('content-length')).toBe(String(Buffer.byteLength(expected)));
    });
  }

  it('test_multipart_headers_include_content_type (the Content-Type in the part headers wins)', async () => {
    const request = new Request('POST', 'http://x/', {
      headers,
      files: { file: ['test.txt', 'content', 'text/plain', { 'Content-Type': 'image/png' }] },
    });
    expect(await body(request)).toContain('filename="test.txt"\r\nContent-Type: image/png\r\n\r\ncontent');
  });

  it('test_multipart_encode', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'multipart-'));
    const path = join(dir, 'name.txt');
    await writeFile(path, '<file content>');
    const request = new Request('POST', 'http://x/', {
      headers,
      data: { a: '1', b: 'C', c: ['11', '22', '33'], d: '', e: true, f: '' },
      files: { file: ['name.txt', createReadStream(path)] },
    });
    const field = (name: string, value: string) =>
      `--+++\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const expected =
      field('a', '1') +
      field('b', 'C') +
      field('c', '11') +
      field('c', '22') +
      field('c', '33') +
      field('d', '') +
      field('e', 'true') +
      field('f', '') +
      '--+++\r\nContent-Disposition: form-data; name="file"; filename="name.txt"\r\nContent-Type: text/plain\r\n\r\n<file content>\r\n--+++--\r\n';
    expect(request.headers.get('content-length')).toBe(String(Buffer.byteLength(expected)));
    expect(await body(request)).toBe(expected);
  });

  it('test_multipart_encode_unicode_file_contents', async () => {
    const request = new Request('POST', 'http://x/', {
      headers,
      files: { file: ['name.txt', '<bytes content>'] },
    });
    expect(await body(request)).toBe(
      '--+++\r\nContent-Disposition: form-data; name="file"; filename="name.txt"\r\nContent-Type: text/plain\r\n\r\n<bytes content>\r\n--+++--\r\n',
    );
  });

  it('test_multipart_encode_files_allows_filenames_as_none', async () => {
    const request = new Request('POST', 'http://x/', { headers, files: { file: [null, '<file content>'] } });
    expect(await body(request)).toBe(
      '--+++\r\nContent-Disposition: form-data; name="file"\r\n\r\n<file content>\r\n--+++--\r\n',
    );
  });

  for (const [name, type] of [
    ['example.json', 'application/json'],
    ['example.txt', 'text/plain'],
    ['no-extension', 'application/octet-stream'],
  ]) {
    it(`test_multipart_encode_files_guesses_correct_content_type[${name}]`, async () => {
      const request = new Request('POST', 'http://x/', {
        headers,
        files: { file: [name as string, '<file content>'] },
      });
      expect(await body(request)).toBe(
        `--+++\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n<file content>\r\n--+++--\r\n`,
      );
    });
  }

  it('test_multipart_encode_files_allows_bytes_content', async () => {
    const content = new TextEncoder().encode('<bytes content>');
    const request = new Request('POST', 'http://x/', {
      headers,
      files: { file: ['test.txt', content, 'text/plain'] },
    });
    expect(await body(request)).toBe(
      '--+++\r\nContent-Disposition: form-data; name="file"; filename="test.txt"\r\nContent-Type: text/plain\r\n\r\n<bytes content>\r\n--+++--\r\n',
    );
  });

  it('test_multipart_encode_files_allows_str_content', async () => {
    const request = new Request('POST', 'http://x/', {
      headers,
      files: { file: ['test.txt', '<str content>', 'text/plain'] },
    });
    expect(await body(request)).toContain('Content-Type: text/plain\r\n\r\n<str content>\r\n');
  });

  it('test_multipart_encode_non_seekable_filelike (a one-shot stream, no file name)', async () => {
    const { Readable } = await import('node:stream');
    const request = new Request('POST', 'http://x/', {
      headers,
      files: { file: Readable.from([Buffer.from('Hello'), Buffer.from('World')]) },
    });
    expect(request.headers.get('transfer-encoding')).toBe('chunked');
    expect(await body(request)).toBe(
      '--+++\r\nContent-Disposition: form-data; name="file"; filename="upload"\r\nContent-Type: application/octet-stream\r\n\r\nHelloWorld\r\n--+++--\r\n',
    );
  });

  it('test_multipart_rewinds_files (a replayable body sends the same bytes twice)', async () => {
    const request = new Request('POST', 'http://x/', { headers, files: { file: ['a.txt', 'Hello'] } });
    const first = await body(
      new Request('POST', 'http://x/', { headers, files: { file: ['a.txt', 'Hello'] } }),
    );
    expect(request.body?.replayable).toBe(true);
    expect(await body(request)).toBe(first);
  });

  it('data: {} with files: {} sends no body at all, as HTTPX (issue 12)', async () => {
    const request = new Request('POST', 'http://x/', { data: {}, files: {} });
    expect(request.body).toBeNull();
    expect(request.headers.raw).toEqual([
      ['Host', 'x'],
      ['Content-Length', '0'],
    ]);
  });

  it('empty files with data fall back to a urlencoded form, as HTTPX (`if files:`)', async () => {
    const request = new Request('POST', 'http://x/', { data: { a: '1' }, files: {} });
    expect(request.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(await body(request)).toBe('a=1');
  });

  describe('TestHeaderParamHTML5Formatting', () => {
    const disposition = async (filename: string) => {
      const text = await body(
        new Request('POST', 'http://x/', { headers, files: { file: [filename, 'x', 'text/plain'] } }),
      );
      return /filename=("[^\r]*")/.exec(text)?.[1];
    };
    it('test_unicode', async () => {
      expect(await disposition('n\u00e4me')).toBe('"n\u00e4me"');
    });
    it('test_ascii', async () => {
      expect(await disposition('name')).toBe('"name"');
    });
    it('test_unicode_escape', async () => {
      expect(await disposition('hello\\world\u0022')).toBe('"hello\\\\world%22"');
    });
    it('test_unicode_with_control_character (ESC encoded too, on purpose)', async () => {
      expect(await disposition('hello\x1A\x1B\x1C')).toBe('"hello%1A%1B%1C"');
    });
  });
});
