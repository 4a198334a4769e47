import {
  contract,
  type OutboxMessage,
  type SecurityEvent,
  type SecurityEventType,
} from '@repo/contracts';
import { expect, vi } from 'vitest';
import { type Caller } from '../support/scenarios.js';
import { type World } from '../support/world.js';

const { securityEvents, dev } = contract;

/** The caller's audit log, newest first (the first 100 events). */
export async function eventsOf(w: World, as: Caller): Promise<SecurityEvent[]> {
  const reply = await w.expect('security events', securityEvents.list, 'success', {
    as,
    query: { pageSize: 100 },
  });
  return reply.json() as SecurityEvent[];
}

/** The newest event of a type in the caller's log, waiting for it (some are recorded after the answer). */
export async function eventOf(
  w: World,
  as: Caller,
  type: SecurityEventType,
): Promise<SecurityEvent> {
  return vi.waitFor(
    async () => {
      const found = (await eventsOf(w, as)).find((e) => e.type === type);
      expect(found, `a ${type} event`).toBeDefined();
      return found!;
    },
    { timeout: 10_000, interval: 50 },
  );
}

/** The emails to `to` whose subject matches, newest first. */
export async function mailsTo(w: World, to: string, subject: RegExp): Promise<OutboxMessage[]> {
  const reply = await w.expect('dev outbox', dev.outbox, 'success', { query: { to } });
  return (reply.json() as OutboxMessage[]).filter((m) => subject.test(m.subject));
}

/**
 * The one security notice to `to` with this subject: a plain-text part (no markup) and an HTML
 * part rendered from the same template, naming where it came from.
 */
export async function expectOneNotice(w: World, to: string, subject: string) {
  const mails = await mailsTo(w, to, new RegExp(`^${subject}$`));
  expect(
    mails.map((m) => m.subject),
    `one "${subject}" email to ${to}`,
  ).toEqual([subject]);
  const [mail] = mails as [OutboxMessage];
  expect(mail.html).toMatch(/^<!DOCTYPE html/i);
  expect(mail.html).toContain('Review security activity');
  expect(mail.text).not.toMatch(/<[a-z]/i);
  expect(mail.text).toContain('IP address:');
  expect(mail.text).toContain('/settings/security-activity');
  return mail;
}
