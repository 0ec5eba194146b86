/** A piece of the input that decoded to readable text. */
export interface DecodedPayload {
  encoding: 'base64' | 'hex';
  /** The encoded run as it appeared in the input. */
  raw: string;
  /** What it decodes to (UTF-8). */
  text: string;
}

// Base64 (standard and URL-safe alphabets); 16 characters is 12 bytes, short enough to catch
// "ignore rules" and long enough that ordinary words and identifiers rarely qualify.
const BASE64_RUN = /[A-Za-z0-9+/_-]{16,}={0,2}/g;
// Hex, either contiguous or as byte pairs separated by spaces, commas, "\x" or "0x".
const HEX_RUN = /(?:(?:\\x|0x)?[0-9a-fA-F]{2}[\s,:]?){8,}/g;

/**
 * Decoded text is only worth looking at if it reads like language: mostly printable characters
 * and some letters. Random identifiers and hashes decode to binary noise and are dropped here.
 */
function looksLikeText(text: string): boolean {
  if (text.length < 4 || text.includes('\uFFFD')) return false;
  let printable = 0;
  let letters = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code === 9 || code === 10 || code === 13 || (code >= 32 && code !== 127)) printable += 1;
    if (/\p{L}/u.test(ch)) letters += 1;
  }
  const length = [...text].length;
  return printable / length >= 0.95 && letters / length >= 0.5;
}

function decodeBase64(run: string): string | undefined {
  const body = run.replace(/=+$/, '');
  // A run of pure letters is far more likely a long word or identifier than base64; require the
  // character mix real base64 of text has (upper and lower case letters).
  if (!/[A-Z]/.test(body) || !/[a-z]/.test(body)) return undefined;
  if (body.length % 4 === 1) return undefined;
  const standard = body.replace(/-/g, '+').replace(/_/g, '/');
  const decoded = Buffer.from(standard, 'base64').toString('utf8');
  return looksLikeText(decoded) ? decoded : undefined;
}

function decodeHex(run: string): string | undefined {
  const digits = run.replace(/\\x|0x|[\s,:]/gi, '');
  if (digits.length < 16 || digits.length % 2 === 1) return undefined;
  // Hex-only digits with no letters a-f is usually a number, not an encoding.
  if (!/[a-f]/i.test(digits)) return undefined;
  const decoded = Buffer.from(digits, 'hex').toString('utf8');
  return looksLikeText(decoded) ? decoded : undefined;
}

/**
 * Find base64 runs (at least 16 characters) and hex runs (at least 16 hex digits) that decode to
 * readable text. Decoded text is searched again, once, for a second layer of encoding.
 */
export function decodeEmbeddedPayloads(text: string, depth = 0): DecodedPayload[] {
  const found: DecodedPayload[] = [];
  for (const match of text.matchAll(HEX_RUN)) {
    const raw = match[0].trim();
    const decoded = decodeHex(raw);
    if (decoded !== undefined) found.push({ encoding: 'hex', raw, text: decoded });
  }
  for (const match of text.matchAll(BASE64_RUN)) {
    const raw = match[0];
    if (found.some((f) => f.raw.includes(raw) || raw.includes(f.raw.replace(/\s/g, '')))) continue;
    const decoded = decodeBase64(raw);
    if (decoded !== undefined) found.push({ encoding: 'base64', raw, text: decoded });
  }
  if (depth === 0) {
    for (const payload of [...found]) found.push(...decodeEmbeddedPayloads(payload.text, 1));
  }
  return found;
}
