import { describe, expect, it } from 'vitest';
import {
  accountDeletedMail,
  confirmEmailChangeMail,
  emailChangedMail,
  linkWithToken,
} from '../../src/mail/templates/account-mails.js';

describe('the account emails', () => {
  const link = linkWithToken('https://app.example.com', '/undo-email-change', 'tok-123');

  it('carry the token in the fragment of their link, in both parts', async () => {
    expect(link).toBe('https://app.example.com/undo-email-change#token=tok-123');
    const mails = [
      await confirmEmailChangeMail({ to: 'new@example.com', name: 'Ada', link }),
      await emailChangedMail({
        to: 'old@example.com',
        name: 'Ada',
        newEmail: 'new@example.com',
        link,
        webOrigin: 'https://app.example.com',
      }),
    ];
    for (const mail of mails) {
      expect(mail.link).toBe(link);
      expect(mail.html).toMatch(/^<!DOCTYPE html/i);
      expect(mail.html).toContain(`href="${link}"`);
      expect(mail.text).toContain(link);
      expect(mail.text).toContain('Hello Ada,');
      expect(mail.text).not.toMatch(/<[a-z!]/i);
    }
    expect(mails[1]!.text).toContain('https://app.example.com/forgot-password');
  });

  it('the deletion notice has no link, and a name is text, never markup', async () => {
    const mail = await accountDeletedMail({
      to: 'ada@example.com',
      name: '<img src=x onerror=alert(1)>',
    });
    expect(mail.link).toBeUndefined();
    expect(mail.html).not.toContain('<img src=x');
    expect(mail.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});
