import { afterEach, describe, expect, it, vi } from 'vitest';
import { EmbeddedScheduler } from '../src/jobs/embedded-scheduler.js';

const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };

describe('embedded scheduler (no Redis)', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.clearAllMocks();
  });

  it('fires on the cron schedule in UTC, and skips a tick while the previous run is still going', async () => {
    vi.useFakeTimers({ now: new Date('2025-01-01T00:03:00Z') });
    let finish!: () => void;
    const fired: string[] = [];
    const task = vi.fn(() => {
      fired.push(new Date().toISOString());
      return new Promise<void>((resolve) => (finish = resolve));
    });
    const scheduler = new EmbeddedScheduler('*/5 * * * *', task, log);
    expect(scheduler.nextRun().toISOString()).toBe('2025-01-01T00:05:00.000Z');
    scheduler.start();

    await vi.advanceTimersByTimeAsync(119_000);
    expect(task).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(fired).toEqual(['2025-01-01T00:05:00.000Z']);

    // Still running at 00:10: that tick is skipped, not stacked.
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(task).toHaveBeenCalledTimes(1);
    expect(log.warn).toHaveBeenCalledWith(expect.anything(), 'ingestion tick skipped: the previous run is still going');

    finish();
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(fired).toEqual(['2025-01-01T00:05:00.000Z', '2025-01-01T00:15:00.000Z']);
    finish();
    await scheduler.stop();
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(task).toHaveBeenCalledTimes(2);
  });

  it('the default schedule (every six hours) fires at 00, 06, 12 and 18 UTC', () => {
    const scheduler = new EmbeddedScheduler('0 */6 * * *', async () => {}, log);
    expect(scheduler.nextRun(new Date('2025-03-01T05:59:59Z')).toISOString()).toBe('2025-03-01T06:00:00.000Z');
    expect(scheduler.nextRun(new Date('2025-03-01T18:00:00Z')).toISOString()).toBe('2025-03-02T00:00:00.000Z');
  });
});
