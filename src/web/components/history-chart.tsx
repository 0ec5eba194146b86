import type { HistoryPoint } from '../api/types.js';
import { day, points } from '../format.js';

const W = 1000;
const H = 280;
const PAD = { left: 44, right: 16, top: 12, bottom: 30 };

/** Composite over time with its interval band, hand-rolled SVG, plus the same data as a table. */
export function HistoryChart({ data, label }: { data: HistoryPoint[]; label: string }) {
  const usable = data.filter((p) => p.value !== null && !Number.isNaN(Date.parse(p.date)));
  if (usable.length === 0) {
    return <p className="muted">No history yet: the composite has no value on any recorded day (insufficient evidence or no snapshots).</p>;
  }
  const times = usable.map((p) => Date.parse(p.date));
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const lows = usable.map((p) => p.interval?.low ?? p.value!);
  const highs = usable.map((p) => p.interval?.high ?? p.value!);
  // Round the y range out to a step that gives at most six grid lines.
  const lo = Math.min(...lows);
  const hi = Math.max(...highs);
  const step = [0.02, 0.05, 0.1, 0.2, 0.25].find((st) => Math.ceil(hi / st) - Math.floor(lo / st) <= 5) ?? 0.25;
  const y0 = Math.max(0, Math.floor(lo / step) * step);
  const y1 = Math.min(1, Math.max(y0 + step, Math.ceil(hi / step) * step));
  const x = (t: number) => PAD.left + (t1 === t0 ? (W - PAD.left - PAD.right) / 2 : ((t - t0) / (t1 - t0)) * (W - PAD.left - PAD.right));
  const y = (v: number) => PAD.top + (1 - (v - y0) / (y1 - y0)) * (H - PAD.top - PAD.bottom);
  const line = usable.map((p, i) => `${i ? 'L' : 'M'}${x(times[i]!).toFixed(1)} ${y(p.value!).toFixed(1)}`).join(' ');
  const band =
    usable.map((p, i) => `${i ? 'L' : 'M'}${x(times[i]!).toFixed(1)} ${y(p.interval?.high ?? p.value!).toFixed(1)}`).join(' ') +
    [...usable]
      .reverse()
      .map((p, i) => `L${x(times[usable.length - 1 - i]!).toFixed(1)} ${y(p.interval?.low ?? p.value!).toFixed(1)}`)
      .join(' ') +
    ' Z';
  const ticks = Array.from({ length: Math.round((y1 - y0) / step) + 1 }, (_, i) => y0 + i * step);
  const first = usable[0]!;
  const last = usable[usable.length - 1]!;
  const summary = `${label}: from ${points(first.value)} on ${day(first.date)} to ${points(last.value)} on ${day(last.date)}, ${usable.length} days.`;
  return (
    <figure className="history">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary}>
        {ticks.map((v) => (
          <g key={v}>
            <line className="grid" x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} />
            <text className="axis" x={PAD.left - 6} y={y(v) + 4} textAnchor="end">
              {points(v, 0)}
            </text>
          </g>
        ))}
        <path className="history-band" d={band} />
        <path className="history-line" d={line} />
        {usable.length === 1 && <circle className="history-dot" cx={x(times[0]!)} cy={y(first.value!)} r="4" />}
        <text className="axis" x={PAD.left} y={H - 8}>
          {day(first.date)}
        </text>
        <text className="axis" x={W - PAD.right} y={H - 8} textAnchor="end">
          {day(last.date)}
        </text>
      </svg>
      <figcaption className={usable.length < 2 ? 'small muted' : 'visually-hidden'}>
        {usable.length < 2 ? `Only ${day(first.date)} is recorded so far: a point is added each day as snapshots accumulate.` : summary}
      </figcaption>
      <details>
        <summary>Show the data as a table</summary>
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">{label} by day</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Composite</th>
                <th scope="col">90% interval</th>
              </tr>
            </thead>
            <tbody>
              {[...usable].reverse().map((p) => (
                <tr key={p.date}>
                  <td>{day(p.date)}</td>
                  <td>{points(p.value)}</td>
                  <td>{p.interval ? `${points(p.interval.low)} – ${points(p.interval.high)}` : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
