/** The `charset` parameter of a Content-Type value, unquoted, or null. */
export function charsetFromContentType(contentType: string | null): string | null {
  if (contentType === null) return null;
  const match = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]+))/i.exec(contentType);
  const value = match?.[1] ?? match?.[2];
  return value ? value : null;
}

const known = new Map<string, boolean>();

// Python spellings HTTPX users write that WHATWG labels spell differently.
const ALIASES: Record<string, string> = {
  'latin-1': 'latin1',
  latin_1: 'latin1',
  'iso8859-1': 'iso-8859-1',
  utf_8: 'utf-8',
};

/** The WHATWG label for an encoding name. */
export function toWhatwgLabel(label: string): string {
  const lower = label.trim().toLowerCase();
  return ALIASES[lower] ?? lower;
}

/** Whether the runtime can decode this label (WHATWG Encoding names, e.g. `latin-1`, `shift_jis`). */
export function isKnownEncoding(label: string): boolean {
  let ok = known.get(label);
  if (ok === undefined) {
    try {
      new TextDecoder(toWhatwgLabel(label));
      ok = true;
    } catch {
      ok = label.toLowerCase().replace(/[-_]/g, '').startsWith('utf32');
    }
    known.set(label, ok);
  }
  return ok;
}

function decodeUtf32(bytes: Uint8Array, littleEndian: boolean): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let out = '';
  for (let i = 0; i + 3 < bytes.byteLength; i += 4) {
    const cp = view.getUint32(i, littleEndian);
    out += cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
  }
  return out;
}

// Python's latin-1 maps every byte to the same code point; WHATWG's iso-8859-1 label means
// windows-1252 (0x80–0x9F differ), and Node 24 follows WHATWG. HTTPX semantics win here.
const LATIN1 = new Set(['latin1', 'iso88591', 'l1', 'iso8859_1', 'cp819']);

export function isLatin1(encoding: string): boolean {
  return LATIN1.has(encoding.toLowerCase().replace(/[-_]/g, ''));
}

/** Decodes bytes with replacement characters for invalid sequences (Python's errors="replace"). */
export function decodeText(bytes: Uint8Array, encoding: string): string {
  if (isLatin1(encoding))
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const normalized = encoding.toLowerCase().replace(/[-_]/g, '');
  if (normalized === 'utf32le' || normalized === 'utf32') return decodeUtf32(bytes, true);
  if (normalized === 'utf32be') return decodeUtf32(bytes, false);
  // Node 20's one-shot decode of windows-1252 drops every byte above 0x7F (its Latin-1 fast path);
  // the streaming path decodes it properly, and gives the same result for every other encoding.
  const decoder = new TextDecoder(toWhatwgLabel(encoding), { fatal: false, ignoreBOM: false });
  if (decoder.encoding === 'utf-8') return decoder.decode(bytes);
  return decoder.decode(bytes, { stream: true }) + decoder.decode();
}

/** JSON's encoding from its first bytes (RFC 4627 §3 and BOMs), as Python's json.loads detects it. */
export function detectJsonEncoding(b: Uint8Array): { encoding: string; bomLength: number } {
  const [b0, b1, b2, b3] = [b[0], b[1], b[2], b[3]];
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0) return { encoding: 'utf-32le', bomLength: 4 };
  if (b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff) return { encoding: 'utf-32be', bomLength: 4 };
  if (b0 === 0xff && b1 === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (b0 === 0xfe && b1 === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  if (b.byteLength >= 4) {
    if (b0 === 0 && b1 === 0 && b2 === 0) return { encoding: 'utf-32be', bomLength: 0 };
    if (b1 === 0 && b2 === 0 && b3 === 0) return { encoding: 'utf-32le', bomLength: 0 };
  }
  if (b.byteLength >= 2) {
    if (b0 === 0) return { encoding: 'utf-16be', bomLength: 0 };
    if (b1 === 0) return { encoding: 'utf-16le', bomLength: 0 };
  }
  return { encoding: 'utf-8', bomLength: 0 };
}

/** Splits text into lines on `\n`, `\r\n` and `\r`, carrying a trailing `\r` over to the next chunk. */
export class LineDecoder {
  #buffer = '';
  #trailingCR = false;

  decode(text: string): string[] {
    if (this.#trailingCR) {
      text = `\r${text}`;
      this.#trailingCR = false;
    }
    if (text.endsWith('\r')) {
      this.#trailingCR = true;
      text = text.slice(0, -1);
    }
    if (text === '') return [];
    const parts = (this.#buffer + text).split(/\r\n|\r|\n/);
    this.#buffer = parts.pop() ?? '';
    return parts;
  }

  flush(): string[] {
    const rest = this.#buffer;
    const hadCR = this.#trailingCR;
    this.#buffer = '';
    this.#trailingCR = false;
    if (hadCR) return [rest];
    return rest === '' ? [] : [rest];
  }
}
