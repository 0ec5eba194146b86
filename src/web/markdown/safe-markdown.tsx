import { createElement, type ReactNode } from 'react';
import { EXTERNAL_REL, safeHttpUrl } from './safe-url.js';

/**
 * A small, safe markdown subset for model output and ingested text, built as React elements
 * (React escapes every string; there is no HTML parsing and no dangerouslySetInnerHTML anywhere).
 *
 * Blocks: paragraphs, "-"/"*" and "1." lists, fenced code, "#" headings (shown as bold paragraphs so
 * an answer never breaks the page's heading outline). Inline: `code`, **bold**, *italic* / _italic_,
 * [text](url) and bare URLs, linked only when http(s), and citation markers [n].
 * Raw HTML is shown as the text it is.
 */
export interface MarkdownOptions {
  /** In-page target of citation [n] (must start with '#'); undefined leaves "[n]" as text. */
  citationHref?: (n: number) => string | undefined;
}

/** Longer input is cut: the renderer's work stays bounded whatever a model or a feed sends. */
export const MAX_MARKDOWN_CHARS = 20_000;
const MAX_DEPTH = 6;
/** Emphasis, code and links must close within this many characters: keeps rendering linear. */
const MAX_SPAN = 600;

type Block =
  | { kind: 'p'; lines: string[] }
  | { kind: 'heading'; text: string }
  | { kind: 'code'; text: string }
  | { kind: 'ul' | 'ol'; items: string[] };

const BULLET = /^\s{0,3}[-*+]\s+(.*)$/;
const ORDERED = /^\s{0,3}\d{1,4}[.)]\s+(.*)$/;
const HEADING = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/;
const FENCE = /^\s{0,3}(```|~~~)/;

export function parseBlocks(source: string): Block[] {
  const lines = source.slice(0, MAX_MARKDOWN_CHARS).replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let current: Block | null = null;
  const flush = () => {
    if (current) blocks.push(current);
    current = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = FENCE.exec(line);
    if (fence) {
      flush();
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i]!.trimStart().startsWith(fence[1]!)) body.push(lines[i++]!);
      blocks.push({ kind: 'code', text: body.join('\n') });
      continue;
    }
    if (line.trim() === '') {
      flush();
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      flush();
      blocks.push({ kind: 'heading', text: heading[1]! });
      continue;
    }
    const bullet = BULLET.exec(line);
    const ordered = bullet ? null : ORDERED.exec(line);
    if (bullet || ordered) {
      const kind = bullet ? 'ul' : 'ol';
      const text = (bullet ?? ordered)![1]!;
      const open = current as Block | null;
      if (open && open.kind === kind) open.items.push(text);
      else {
        flush();
        current = { kind, items: [text] };
      }
      continue;
    }
    const open = current as Block | null;
    if (open && (open.kind === 'ul' || open.kind === 'ol') && /^\s+/.test(line)) {
      // An indented line continues the last list item.
      open.items[open.items.length - 1] += ` ${line.trim()}`;
      continue;
    }
    if (open && open.kind === 'p') open.lines.push(line.trim());
    else {
      flush();
      current = { kind: 'p', lines: [line.trim()] };
    }
  }
  flush();
  return blocks;
}

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && /[\p{L}\p{N}]/u.test(ch);
}

/** Index of the closing doubled delimiter; "__" closes only at a word's end (not inside snake__case). */
function findDoubleClose(text: string, from: number, ch: string): number {
  for (let end = text.indexOf(ch + ch, from); end >= 0 && end < from + MAX_SPAN; end = text.indexOf(ch + ch, end + 1)) {
    if (text[end - 1] === ' ') continue;
    if (ch === '_' && isWordChar(text[end + 2])) continue;
    return end;
  }
  return -1;
}

/** Index of the closing single delimiter, stepping over doubled ones (so *a **b** c* nests). */
function findSingleClose(text: string, from: number, delim: string): number {
  const limit = Math.min(text.length, from + MAX_SPAN);
  for (let k = from; k < limit; k++) {
    if (text[k] === '\\') {
      k++;
      continue;
    }
    if (text[k] === '`') {
      const end = text.indexOf('`', k + 1);
      if (end < 0) return -1;
      k = end;
      continue;
    }
    if (text.startsWith(delim + delim, k)) {
      const end = text.indexOf(delim + delim, k + 2);
      if (end < 0) return -1;
      k = end + 1;
      continue;
    }
    if (text[k] === delim && text[k - 1] !== ' ') return k;
  }
  return -1;
}

function count(text: string, ch: string): number {
  return text.split(ch).length - 1;
}

/** End of a bare URL: stops at whitespace or '<', and gives back trailing punctuation. */
function bareUrlEnd(text: string, start: number): number {
  let end = start;
  const limit = Math.min(text.length, start + 2048);
  while (end < limit && !/[\s<>"]/.test(text[end]!)) end++;
  while (end > start && /[.,;:!?)\]'*_]/.test(text[end - 1]!)) {
    // Keep a closing parenthesis that balances one inside the URL (Wikipedia-style links).
    const url = text.slice(start, end);
    if (text[end - 1] === ')' && count(url, '(') >= count(url, ')')) break;
    end--;
  }
  return end;
}

/** Finds the "](url)" part of a link whose text starts after `[` at `open`. */
function parseLink(text: string, open: number): { label: string; url: string; end: number } | null {
  let depth = 0;
  let k = open + 1;
  const limit = Math.min(text.length, open + MAX_SPAN);
  for (; k < limit; k++) {
    const ch = text[k];
    if (ch === '\\') k++;
    else if (ch === '[') depth++;
    else if (ch === ']') {
      if (depth === 0) break;
      depth--;
    }
  }
  if (k >= limit || text[k + 1] !== '(') return null;
  const close = text.indexOf(')', k + 2);
  if (close < 0 || close - k > 2100) return null;
  const target = text.slice(k + 2, close).trim();
  // A link title ("[a](url "title")") is accepted and ignored.
  const url = target.split(/\s+/)[0] ?? '';
  return { label: text.slice(open + 1, k), url, end: close + 1 };
}

function externalLink(href: string, children: ReactNode, key: number): ReactNode {
  return createElement('a', { key, href, rel: EXTERNAL_REL, target: '_blank' }, children);
}

export function renderInline(text: string, opts: MarkdownOptions = {}, depth = 0): ReactNode[] {
  if (depth > MAX_DEPTH) return [text];
  const out: ReactNode[] = [];
  let buffer = '';
  let key = 0;
  const push = (node: ReactNode) => {
    if (buffer) out.push(buffer);
    buffer = '';
    out.push(node);
  };
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    const rest = text.slice(i);

    if (ch === '\\' && i + 1 < text.length && /[\\`*_[\]()#+\-.!<>]/.test(text[i + 1]!)) {
      buffer += text[i + 1];
      i += 2;
      continue;
    }
    if (ch === '`') {
      const end = text.indexOf('`', i + 1);
      if (end > i + 1 && end - i < MAX_SPAN) {
        push(createElement('code', { key: key++ }, text.slice(i + 1, end)));
        i = end + 1;
        continue;
      }
    }
    if ((ch === '*' || ch === '_') && text[i + 1] === ch) {
      const end = findDoubleClose(text, i + 2, ch);
      const leftOk = ch === '*' || !isWordChar(text[i - 1]);
      if (end > i + 2 && text[i + 2] !== ' ' && leftOk) {
        push(createElement('strong', { key: key++ }, renderInline(text.slice(i + 2, end), opts, depth + 1)));
        i = end + 2;
        continue;
      }
    }
    if (ch === '*' || ch === '_') {
      const leftOk = ch === '*' || !isWordChar(text[i - 1]);
      if (leftOk && text[i + 1] !== undefined && text[i + 1] !== ' ') {
        const end = findSingleClose(text, i + 1, ch);
        const rightOk = ch === '*' || !isWordChar(text[end + 1]);
        if (end > i + 1 && rightOk) {
          push(createElement('em', { key: key++ }, renderInline(text.slice(i + 1, end), opts, depth + 1)));
          i = end + 1;
          continue;
        }
      }
    }
    if (ch === '[') {
      const citation = /^\[(\d{1,3})\]/.exec(rest);
      if (citation && text[i + citation[0].length] !== '(') {
        const n = Number(citation[1]);
        const href = opts.citationHref?.(n);
        if (href && href.startsWith('#')) {
          push(createElement('a', { key: key++, href, className: 'citation', 'aria-label': `source ${n}` }, `[${n}]`));
          i += citation[0].length;
          continue;
        }
      }
      const link = parseLink(text, i);
      if (link) {
        const label = renderInline(link.label, opts, depth + 1);
        const href = safeHttpUrl(link.url);
        // An unsafe target keeps its text and loses its link.
        push(href ? externalLink(href, label, key++) : createElement('span', { key: key++ }, label));
        i = link.end;
        continue;
      }
    }
    if ((ch === 'h' || ch === 'H') && /^https?:\/\//i.test(rest) && !isWordChar(text[i - 1])) {
      const end = bareUrlEnd(text, i);
      const raw = text.slice(i, end);
      const href = safeHttpUrl(raw);
      if (href) {
        push(externalLink(href, raw, key++));
        i = end;
        continue;
      }
    }
    buffer += ch;
    i++;
  }
  if (buffer) out.push(buffer);
  return out;
}

/** Renders markdown text as React elements. */
export function renderMarkdown(source: string, opts: MarkdownOptions = {}): ReactNode[] {
  return parseBlocks(source).map((block, key) => {
    switch (block.kind) {
      case 'code':
        return createElement('pre', { key }, createElement('code', null, block.text));
      case 'heading':
        return createElement('p', { key, className: 'md-heading' }, createElement('strong', null, renderInline(block.text, opts)));
      case 'ul':
      case 'ol':
        return createElement(
          block.kind,
          { key },
          block.items.map((item, i) => createElement('li', { key: i }, renderInline(item, opts))),
        );
      case 'p': {
        const children: ReactNode[] = [];
        block.lines.forEach((line, i) => {
          if (i > 0) children.push(createElement('br', { key: `br${i}` }));
          children.push(createElement('span', { key: `l${i}` }, renderInline(line, opts)));
        });
        return createElement('p', { key }, children);
      }
    }
  });
}

export function SafeMarkdown({ text, className, ...opts }: { text: string; className?: string } & MarkdownOptions) {
  return createElement('div', { className: className ? `markdown ${className}` : 'markdown' }, renderMarkdown(text, opts));
}
