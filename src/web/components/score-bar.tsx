import type { Interval } from '../api/types.js';

/**
 * A horizontal bar for a score with its 90% interval. SVG attributes (not inline styles), so it
 * renders under a CSP without 'unsafe-inline'. Decorative: the caller prints the numbers as text.
 */
export function ScoreBar({
  value,
  interval,
  min = 0,
  max = 1,
  label,
}: {
  value: number | null | undefined;
  interval?: Interval | null;
  min?: number;
  max?: number;
  label?: string;
}) {
  const x = (v: number) => ((Math.min(max, Math.max(min, v)) - min) / (max - min)) * 100;
  const zero = x(0);
  const hasValue = value !== null && value !== undefined && Number.isFinite(value);
  return (
    <svg
      className="score-bar"
      viewBox="0 0 100 12"
      preserveAspectRatio="none"
      aria-hidden={label ? undefined : true}
      role={label ? 'img' : undefined}
      aria-label={label}
    >
      <rect className="track" x="0" y="3" width="100" height="6" rx="1" />
      {interval && (
        <rect className="band" x={x(interval.low)} y="1" width={Math.max(0.5, x(interval.high) - x(interval.low))} height="10" rx="1" />
      )}
      {hasValue && <rect className="fill" x={Math.min(zero, x(value))} y="3" width={Math.abs(x(value) - zero)} height="6" rx="1" />}
      {hasValue && <rect className="marker" x={x(value) - 0.4} y="0" width="0.8" height="12" />}
      {min < 0 && <rect className="zero" x={zero - 0.2} y="0" width="0.4" height="12" />}
    </svg>
  );
}
