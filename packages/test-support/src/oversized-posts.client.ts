// Run by Node itself (its type stripping): node oversized-posts.client.ts '<OversizedPosts JSON>'.
// Prints the tally of outcomes as JSON. See postOversized.
import type { OversizedPosts } from './oversized-posts.js';

async function main(options: OversizedPosts) {
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
  process.stdout.write(JSON.stringify(tally));
}

await main(JSON.parse(process.argv[2]!) as OversizedPosts);
