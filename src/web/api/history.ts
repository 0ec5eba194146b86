import type { HistoryPoint, Interval } from './types.js';

type Raw = Record<string, unknown>;

function interval(v: unknown): Interval | null {
  if (v && typeof v === 'object' && typeof (v as Raw).low === 'number' && typeof (v as Raw).high === 'number') {
    return { low: (v as Raw).low as number, high: (v as Raw).high as number };
  }
  return null;
}

/**
 * /v1/index/history answers a list of daily snapshots; each carries the composite either as a
 * number or as {value, interval}. This reads both, oldest first.
 */
export function historyPoints(raw: unknown): HistoryPoint[] {
  const body = raw as Raw | unknown[] | undefined;
  const list = Array.isArray(body) ? body : ((body?.results ?? body?.points ?? body?.history ?? body?.snapshots ?? []) as unknown[]);
  const out: HistoryPoint[] = [];
  for (const item of list) {
    if (!item || typeof item !== 'object') continue;
    const r = item as Raw;
    const date = (r.date ?? r.as_of) as string | undefined;
    if (typeof date !== 'string') continue;
    const c = r.composite;
    let value: number | null = null;
    let iv: Interval | null = null;
    if (typeof c === 'number') value = c;
    else if (c && typeof c === 'object') {
      value = typeof (c as Raw).value === 'number' ? ((c as Raw).value as number) : null;
      iv = interval((c as Raw).interval);
    } else if (typeof r.value === 'number') value = r.value;
    iv ??= interval(r.interval) ?? interval({ low: r.composite_low ?? r.low, high: r.composite_high ?? r.high });
    out.push({ date: date.slice(0, 10), value, interval: iv });
  }
  return out.sort((a, b) => a.date.localeCompare(b.date));
}
