import { seconds } from '../core/pipeline-summary.js';
import type { Logger } from '../core/logger.js';

/** Progress of a long stage, one line per finished item: `[37/200] web retagged 0.2.0 (0.4 s)`. */
export class Progress {
  private finished = 0;
  private readonly width: number;

  constructor(
    private readonly log: Pick<Logger, 'info'>,
    private readonly total: number,
    private readonly clock: () => number = () => performance.now()
  ) {
    this.width = String(total).length;
  }

  /** Starts timing an item; call the returned function with what happened once it is done. */
  start(): (what: string) => void {
    const started = this.clock();
    return what => {
      this.finished++;
      this.log.info(`[${String(this.finished).padStart(this.width)}/${this.total}] ${what} (${seconds(this.clock() - started)})`);
    };
  }
}
