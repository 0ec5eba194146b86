import { CronExpressionParser } from 'cron-parser';
import type { Logger } from '../logger.js';

/** setTimeout's longest delay; a later fire time is reached by re-arming. */
const MAX_TIMEOUT_MS = 2_147_483_647;

/**
 * Runs a task on a five-field cron schedule (UTC) inside this process: the embedded mode's scheduler,
 * used when there is no Redis and so no shared queue. A tick that comes while the previous run is still
 * going is skipped, never stacked.
 */
export class EmbeddedScheduler {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly schedule: string,
    private readonly task: () => Promise<void>,
    private readonly log: Pick<Logger, 'info' | 'warn' | 'error'>,
    /** What the task is, for log lines (the LLM jobs reuse this scheduler). */
    private readonly label = 'ingestion',
  ) {
    // Fails here, at start-up, on an expression cron-parser cannot read.
    this.nextRun();
  }

  /** When the next tick is due. */
  nextRun(from = new Date()): Date {
    return CronExpressionParser.parse(this.schedule, { tz: 'UTC', currentDate: from }).next().toDate();
  }

  start(): void {
    this.stopped = false;
    this.arm();
    this.log.info({ schedule: this.schedule, next_run: this.nextRun().toISOString() }, `${this.label} scheduled in this process`);
  }

  /** Stops ticking and waits for a run in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private arm(): void {
    if (this.stopped) return;
    const due = this.nextRun().getTime();
    const delay = Math.max(0, due - Date.now());
    this.timer = setTimeout(() => (delay > MAX_TIMEOUT_MS ? this.arm() : this.tick()), Math.min(delay, MAX_TIMEOUT_MS));
    // The server's sockets keep the process alive; the scheduler alone should not.
    this.timer.unref();
  }

  private tick(): void {
    if (this.running) {
      this.log.warn({ schedule: this.schedule }, `${this.label} tick skipped: the previous run is still going`);
    } else {
      this.running = this.task()
        .catch((err: unknown) => this.log.error({ err }, `scheduled ${this.label} failed`))
        .finally(() => {
          this.running = undefined;
        });
    }
    // Re-arm from a moment past the tick, so a tick that fired a little early does not fire twice.
    setTimeout(() => this.arm(), 1_000).unref();
  }
}
