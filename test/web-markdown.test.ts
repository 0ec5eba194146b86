import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { SafeMarkdown } from '../src/web/markdown/safe-markdown.js';
import { safeHttpUrl } from '../src/web/markdown/safe-url.js';

const md = (text: string, citationHref?: (n: number) => string | undefined) =>
  renderToStaticMarkup(createElement(SafeMarkdown, { text, citationHref }));

/** Every href in the markup, decoded as a browser would read the attribute. */
function hrefs(html: string): string[] {
  return [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
}

describe('safeHttpUrl', () => {
  it('keeps absolute http and https URLs', () => {
    expect(safeHttpUrl('https://arxiv.org/abs/2501.00001')).toBe('https://arxiv.org/abs/2501.00001');
    expect(safeHttpUrl(' http://example.com/a?b=1#c ')).toBe('http://example.com/a?b=1#c');
  });

  it.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'java\tscript:alert(1)',
    '\u0001javascript:alert(1)',
    'javascript&#58;alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    '//evil.example/x',
    '/relative/path',
    'mailto:a@example.com',
    'https://user:pass@example.com/',
    'https://exa mple.com/',
    '',
  ])('rejects %j', (raw) => {
    expect(safeHttpUrl(raw)).toBeNull();
  });

  it('rejects non-strings', () => {
    expect(safeHttpUrl(undefined)).toBeNull();
    expect(safeHttpUrl({ toString: () => 'https://example.com' })).toBeNull();
  });
});

describe('SafeMarkdown', () => {
  it('renders bold, italics, code and paragraphs', () => {
    const html = md('**Bold** and *it* and _also_ and `x < y`\n\nSecond');
    expect(html).toBe(
      '<div class="markdown"><p><span><strong>Bold</strong> and <em>it</em> and <em>also</em> and <code>x &lt; y</code></span></p><p><span>Second</span></p></div>',
    );
  });

  it('nests emphasis inside bold and links', () => {
    expect(md('**a *b* c**')).toContain('<strong>a <em>b</em> c</strong>');
    expect(md('[**go**](https://example.com)')).toContain('<strong>go</strong></a>');
  });

  it('leaves snake_case identifiers alone', () => {
    expect(md('swe_bench_85 and gpqa_sota')).toContain('swe_bench_85 and gpqa_sota');
    expect(md('swe_bench_85 and gpqa_sota')).not.toContain('<em>');
  });

  it('renders bullet and numbered lists', () => {
    expect(md('- one\n- two **b**\n\n1. first\n2. second')).toBe(
      '<div class="markdown"><ul><li>one</li><li>two <strong>b</strong></li></ul><ol><li>first</li><li>second</li></ol></div>',
    );
  });

  it('renders fenced code verbatim', () => {
    expect(md('```\n<b>**not bold**</b>\n```')).toContain('<pre><code>&lt;b&gt;**not bold**&lt;/b&gt;</code></pre>');
  });

  it('links http(s) targets with rel noopener noreferrer nofollow', () => {
    const html = md('see [the paper](https://arxiv.org/abs/1) and https://example.com/x.');
    expect(html).toContain('<a href="https://arxiv.org/abs/1" rel="noopener noreferrer nofollow" target="_blank">the paper</a>');
    expect(html).toContain('<a href="https://example.com/x" rel="noopener noreferrer nofollow" target="_blank">https://example.com/x</a>.');
  });

  it.each([
    '[click](javascript:alert(1))',
    '[click](JAVASCRIPT:window.__xss=1)',
    '[click](java\tscript:alert(1))',
    '[click](data:text/html;base64,PHNjcmlwdD4=)',
    '[click](//evil.example)',
    '[click](vbscript:x)',
    '[click](  javascript:alert(1)  "title")',
  ])('never links an unsafe target: %j', (text) => {
    const html = md(text);
    expect(hrefs(html)).toEqual([]);
    expect(html).toContain('click');
  });

  it('shows raw HTML as text', () => {
    const html = md('<img src=x onerror="window.__xss=1"> <script>window.__xss=1</script> <a href="javascript:alert(1)">x</a>');
    expect(html).not.toMatch(/<img|<script|<a /);
    expect(html).toContain('&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;');
    expect(html).toContain('&lt;script&gt;');
  });

  it('turns citation markers into in-page links only when asked', () => {
    const href = (n: number) => (n <= 2 ? `#source-${n}` : undefined);
    const html = md('Claim [1] and [2], not [3].', href);
    expect(hrefs(html)).toEqual(['#source-1', '#source-2']);
    expect(html).toContain('[3]');
    expect(hrefs(md('Claim [1].'))).toEqual([]);
  });

  it('refuses a citation target that is not an in-page anchor', () => {
    expect(hrefs(md('Claim [1].', () => 'javascript:alert(1)'))).toEqual([]);
  });

  it('treats markdown inside a link label as label text only', () => {
    const html = md('[a [nested](javascript:alert(1)) b](https://ok.example)');
    for (const h of hrefs(html)) expect(safeHttpUrl(h)).not.toBeNull();
  });

  it('keeps backslash-escaped punctuation literal', () => {
    expect(md('\\*not em\\*')).toContain('*not em*');
  });

  it('bounds its work on hostile input', () => {
    const html = md('*'.repeat(50_000) + '['.repeat(10_000) + '_a'.repeat(10_000));
    expect(html.length).toBeGreaterThan(0);
    const deep = md('**'.repeat(200) + 'x' + '**'.repeat(200));
    expect(deep).toContain('x');
  });
});
