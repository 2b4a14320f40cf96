import type { Logger } from './logger.js';

/**
 * The logs of work running at once, recorded per item and replayed later in the items' order, each in a group, so
 * a log over hundreds of services reads as if they ran one after another.
 */
export class OrderedLogs<K> {
  private readonly records = new Map<K, [keyof Logger, string][]>();

  constructor(private readonly log: Logger) {}

  /** A logger recording for `key` (masking goes through at once). */
  for(key: K): Logger {
    const record: [keyof Logger, string][] = [];
    this.records.set(key, record);
    return {
      info: m => record.push(['info', m]),
      debug: m => record.push(['debug', m]),
      warning: m => record.push(['warning', m]),
      mask: secret => this.log.mask(secret),
      group: (_name, fn) => fn()
    };
  }

  /** Replays what `key` logged, once, in a group named `title`; nothing when it logged nothing. */
  async replay(key: K, title: string): Promise<void> {
    const record = this.records.get(key);
    this.records.delete(key);
    if (!record || record.length === 0) return;
    await this.log.group(title, async () => {
      for (const [level, message] of record) (this.log[level] as (m: string) => void)(message);
    });
  }
}
