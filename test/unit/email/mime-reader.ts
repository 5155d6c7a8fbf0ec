/**
 * Just enough of a MIME reader to check what `buildRawMessage` writes: headers (unfolded),
 * multipart bodies split on their boundaries, base64 bodies and RFC 2047 encoded words.
 */

export interface MimeEntity {
  /** Header names lower-cased, values unfolded. */
  headers: Record<string, string>;
  /** Header names in order, as written. */
  headerNames: string[];
  /** Physical header lines, before unfolding. */
  headerLines: string[];
  body: string;
  parts: MimeEntity[];
}

export function readMime(raw: string): MimeEntity {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) throw new Error('no blank line after the headers');
  const head = raw.slice(0, end);
  const body = raw.slice(end + 4);
  const headerLines = head.split('\r\n');
  const headers: Record<string, string> = {};
  const headerNames: string[] = [];
  for (const line of head.replace(/\r\n(?=[ \t])/g, '').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new Error(`not a header line: ${line}`);
    const name = line.slice(0, colon);
    headerNames.push(name);
    headers[name.toLowerCase()] = line.slice(colon + 1).trim();
  }
  const type = headers['content-type'] ?? '';
  const boundary = /boundary="([^"]+)"/.exec(type)?.[1];
  let parts: MimeEntity[] = [];
  if (type.startsWith('multipart/') && boundary) {
    const pieces = `\r\n${body}`.split(`\r\n--${boundary}`);
    const close = pieces.findIndex((piece, i) => i > 0 && piece.startsWith('--'));
    if (close < 0) throw new Error(`no closing delimiter for ${boundary}`);
    parts = pieces.slice(1, close).map((piece) => readMime(piece.replace(/^\r\n/, '')));
  }
  return { headers, headerNames, headerLines, body, parts };
}

/** The bytes of a base64 body; throws on a line over 76 characters or a non-base64 character. */
export function decodeBase64Body(body: string): Uint8Array {
  const lines = body.split('\r\n').filter((line) => line !== '');
  for (const line of lines) {
    if (line.length > 76) throw new Error(`base64 line of ${line.length} characters`);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(line)) throw new Error(`not base64: ${line}`);
  }
  return new Uint8Array(Buffer.from(lines.join(''), 'base64'));
}

const strict = new TextDecoder('utf-8', { fatal: true });

export function utf8(bytes: Uint8Array): string {
  return strict.decode(bytes);
}

const WORD = /=\?UTF-8\?B\?([A-Za-z0-9+/]*={0,2})\?=/gi;

/** Every `=?UTF-8?B?…?=` word in a header value (unfolded). */
export function encodedWords(value: string): string[] {
  return [...value.matchAll(WORD)].map((m) => m[0]);
}

/**
 * Decodes RFC 2047 words; whitespace between two adjacent words is dropped. Each word is
 * decoded on its own with a fatal decoder, so a word holding half a UTF-8 sequence throws.
 */
export function decodeHeader(value: string): string {
  return value.replace(/\?=\s+=\?/g, '?==?').replace(WORD, (_word, b64: string) => {
    if (b64.length % 4 !== 0) throw new Error(`bad base64 length in ${b64}`);
    return utf8(new Uint8Array(Buffer.from(b64, 'base64')));
  });
}

/**
 * One mailbox of an address header (unfolded), as `buildRawMessage` writes it: a bare address,
 * `"quoted \"name\"" <addr>`, or RFC 2047 words then `<addr>`. Throws on anything else, so a
 * header that grew a second address or a stray phrase does not read as one mailbox.
 */
export function readAddressHeader(value: string): { name: string; address: string } {
  const bare = /^([^\s<>",]+@[^\s<>",]+)$/.exec(value);
  if (bare?.[1]) return { name: '', address: bare[1] };
  const quoted = /^"((?:[^"\\]|\\.)*)" <([^\s<>",]+@[^\s<>",]+)>$/.exec(value);
  if (quoted?.[1] !== undefined && quoted[2]) {
    return { name: quoted[1].replace(/\\(.)/g, '$1'), address: quoted[2] };
  }
  const words = /^((?:=\?UTF-8\?B\?[A-Za-z0-9+/]*={0,2}\?=\s*)+)<([^\s<>",]+@[^\s<>",]+)>$/i.exec(value);
  if (words?.[1] && words[2]) return { name: decodeHeader(words[1].trim()), address: words[2] };
  throw new Error(`not one mailbox: ${value}`);
}
