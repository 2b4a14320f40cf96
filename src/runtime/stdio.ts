import { writeSync } from 'node:fs';

/** Descriptors that went over to their process stream after a non-blocking write could not finish. */
const overToStream = new Set<1 | 2>();

/**
 * Writes to stdout (1) or stderr (2) straight through the descriptor. Touching `process.stdout`/`stderr` on a pipe
 * builds a net.Socket and loads the stream stack, a good part of a short run's start-up. A non-blocking descriptor
 * that is full (EAGAIN) hands the rest, and every later write, to the process stream so the order holds; a reader
 * that has gone away (EPIPE) is ignored, as the streams do.
 */
export function writeText(fd: 1 | 2, text: string): void {
  let rest: string | Buffer = text;
  if (!overToStream.has(fd)) {
    const bytes = Buffer.from(text, 'utf8');
    let offset = 0;
    try {
      while (offset < bytes.length) offset += writeSync(fd, bytes, offset);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') return;
      if (code !== 'EAGAIN') throw error;
      overToStream.add(fd);
      // The bytes not written yet: the cut may fall inside a character.
      rest = bytes.subarray(offset);
    }
  }
  (fd === 1 ? process.stdout : process.stderr).write(rest);
}
