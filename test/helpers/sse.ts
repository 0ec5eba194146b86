export interface SseEvent {
  event: string;
  data: unknown;
}

/** Parses one Server-Sent Events block ("event: x\ndata: {...}"). */
function parseBlock(block: string): SseEvent | undefined {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) event = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
  }
  if (data.length === 0) return undefined;
  const raw = data.join('\n');
  try {
    return { event, data: JSON.parse(raw) };
  } catch {
    return { event, data: raw };
  }
}

/**
 * Reads an SSE response body as it arrives (the way `curl -N` shows it), calling `onEvent` for each
 * event; returns every event once the server ends the stream.
 */
export async function readSse(res: Response, onEvent?: (e: SseEvent) => void): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) !== -1) {
      const e = parseBlock(buffer.slice(0, cut));
      buffer = buffer.slice(cut + 2);
      if (e) {
        events.push(e);
        onEvent?.(e);
      }
    }
  }
  return events;
}
