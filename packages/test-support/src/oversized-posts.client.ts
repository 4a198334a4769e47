// The client side of postOversized. Run by Node itself (its type stripping) as
// `node oversized-posts.client.ts '<OversizedPosts JSON>'`, it prints the tally as JSON.
import { fileURLToPath } from 'node:url';
import type { OversizedPosts } from './oversized-posts.js';

/**
 * Posts a JSON body of `bytes` bytes `count` times with the runtime's own fetch, `concurrency`
 * at a time, and tallies the outcomes: statuses, or network errors by their code. Self-contained
 * (globals only), so a browser page can run it too (Playwright's `page.evaluate`).
 */
export async function tallyPosts(options: OversizedPosts): Promise<Record<string, number>> {
  const filler = '{"filler":""}';
  const body = `{"filler":"${'x'.repeat(Math.max(0, options.bytes - filler.length))}"}`;
  const tally: Record<string, number> = {};
  let started = 0;
  const worker = async () => {
    while (started < options.count) {
      started++;
      const outcome = await fetch(options.url, {
        method: 'POST',
        headers: { 'content-type': options.contentType ?? 'application/json' },
        body,
      }).then(
        async (res) => {
          await res.arrayBuffer();
          return String(res.status);
        },
        (error: Error) => String((error.cause as { code?: string } | undefined)?.code ?? error),
      );
      tally[outcome] = (tally[outcome] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return tally;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const options = JSON.parse(process.argv[2]!) as OversizedPosts;
  process.stdout.write(JSON.stringify(await tallyPosts(options)));
}
