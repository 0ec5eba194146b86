import { describe, expect, it } from 'vitest';
import { readSse, type SseEvent } from '../src/web/api/sse.js';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return new ReadableStream({
    start(c) {
      for (const chunk of chunks) c.enqueue(enc.encode(chunk));
      c.close();
    },
  });
}

async function collect(chunks: string[]): Promise<SseEvent[]> {
  const out: SseEvent[] = [];
  for await (const ev of readSse(streamOf(chunks))) out.push(ev);
  return out;
}

describe('readSse (the chat page reads POST /v1/chat streams with it)', () => {
  it('yields events split across arbitrary chunk boundaries', async () => {
    const body =
      'event: sources\ndata: {"sources":[]}\n\nevent: token\ndata: {"text":"Hel"}\n\nevent: token\ndata: {"text":"lo"}\n\nevent: done\ndata: {"answer":"Hello"}\n\n';
    const expected = [
      { event: 'sources', data: '{"sources":[]}' },
      { event: 'token', data: '{"text":"Hel"}' },
      { event: 'token', data: '{"text":"lo"}' },
      { event: 'done', data: '{"answer":"Hello"}' },
    ];
    expect(await collect([body])).toEqual(expected);
    expect(await collect(body.split(''))).toEqual(expected);
  });

  it('handles CRLF, comments, multi-line data and a final event without a blank line', async () => {
    const events = await collect([': keep-alive\r\n\r\nevent: token\r\ndata: a\r\ndata: b\r\n\r\nevent: error\ndata: {"status":503}']);
    expect(events).toEqual([
      { event: 'token', data: 'a\nb' },
      { event: 'error', data: '{"status":503}' },
    ]);
  });

  it('decodes multi-byte characters split between chunks', async () => {
    const bytes = new TextEncoder().encode('event: token\ndata: {"text":"é–✓"}\n\n');
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < bytes.length; i++) c.enqueue(bytes.slice(i, i + 1));
        c.close();
      },
    });
    const out: SseEvent[] = [];
    for await (const ev of readSse(stream)) out.push(ev);
    expect(out).toEqual([{ event: 'token', data: '{"text":"é–✓"}' }]);
  });
});
