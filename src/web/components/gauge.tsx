import type { Interval } from '../api/types.js';
import { intervalText, points } from '../format.js';

const CX = 100;
const CY = 100;
const R = 80;

/** Point on the upper half circle: t = 0 at the left end (0), t = 1 at the right end (100). */
function at(t: number): string {
  const theta = Math.PI * (1 - Math.min(1, Math.max(0, t)));
  return `${(CX + R * Math.cos(theta)).toFixed(2)} ${(CY - R * Math.sin(theta)).toFixed(2)}`;
}

function arc(t0: number, t1: number): string {
  return `M ${at(t0)} A ${R} ${R} 0 0 1 ${at(t1)}`;
}

/** The composite gauge: a half dial with the value and its 90% interval, or the N/A state. */
export function Gauge({ value, interval, label }: { value: number | null; interval: Interval | null; label: string }) {
  const na = value === null;
  const description = na ? `${label}: not available` : `${label}: ${points(value)} out of 100, ${intervalText(interval)}`;
  return (
    <svg className={na ? 'gauge gauge-na' : 'gauge'} viewBox="0 0 200 118" role="img" aria-label={description}>
      <path className="gauge-track" d={arc(0, 1)} />
      {!na && interval && <path className="gauge-band" d={arc(interval.low, interval.high)} />}
      {!na && value > 0 && <path className="gauge-fill" d={arc(0, value)} />}
      <text className="gauge-value" x={CX} y={CY - 12} textAnchor="middle">
        {na ? 'N/A' : points(value)}
      </text>
      <text className="gauge-scale" x={CX - R} y={CY + 16} textAnchor="middle">
        0
      </text>
      <text className="gauge-scale" x={CX + R} y={CY + 16} textAnchor="middle">
        100
      </text>
    </svg>
  );
}
