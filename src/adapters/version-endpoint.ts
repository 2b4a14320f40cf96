import { versionInBody } from '../core/manifest-report.js';

/** The version a service reports at a URL (core/manifest-report.ts versionInBody), or why there is none. */
export async function fetchVersion(url: URL, timeoutMs: number): Promise<string> {
  try {
    const { httpRequest } = await import('./http.js');
    const response = await httpRequest(url, { timeoutMs, headers: { accept: 'application/json, text/plain;q=0.9' } });
    const body = response.text().trim();
    if (!response.ok) return `HTTP ${response.status}`;
    return versionInBody(body);
  } catch (error) {
    const code = (error as { code?: string }).code;
    return `unreachable (${code === 'ETIMEDOUT' ? 'timeout' : (code ?? (error as Error).message)})`;
  }
}

/**
 * Polls a version endpoint every `intervalSeconds` until `matches` holds for what it reports or `timeoutSeconds`
 * pass: the last version seen, the number of polls, and whether it matched. `onPoll` hears each miss.
 */
export async function waitForVersion(args: {
  url: URL;
  matches: (version: string) => boolean;
  timeoutSeconds: number;
  intervalSeconds: number;
  onPoll: (version: string, poll: number) => void;
}): Promise<{ seen: string; polls: number; verified: boolean }> {
  const { url, intervalSeconds } = args;
  const deadline = Date.now() + args.timeoutSeconds * 1000;
  let seen = '';
  let polls = 0;
  for (;;) {
    polls++;
    seen = await fetchVersion(url, Math.max(1000, Math.min(10_000, intervalSeconds * 1000)));
    if (args.matches(seen)) return { seen, polls, verified: true };
    args.onPoll(seen, polls);
    if (Date.now() + intervalSeconds * 1000 > deadline) return { seen, polls, verified: false };
    await new Promise(r => setTimeout(r, intervalSeconds * 1000));
  }
}
