import { stack } from './compose.js';

interface Summary {
  ID: string;
  To: { Address: string }[];
  Subject: string;
}

/** The newest email to `to` whose subject matches, read through the mail catcher's API (polled). */
export async function lastEmail(to: string, subject: RegExp, timeoutMs = 15_000) {
  for (const deadline = Date.now() + timeoutMs; ;) {
    const list = (await (await fetch(`${stack.mailUrl}/api/v1/messages`)).json()) as {
      messages: Summary[];
    };
    const found = list.messages.find(
      (m) => m.To.some((a) => a.Address === to) && subject.test(m.Subject),
    );
    if (found) {
      const res = await fetch(`${stack.mailUrl}/api/v1/message/${found.ID}`);
      return (await res.json()) as Summary & { Text: string; HTML: string };
    }
    if (Date.now() > deadline) throw new Error(`No email to ${to} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
