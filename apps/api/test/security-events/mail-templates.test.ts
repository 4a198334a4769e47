import { describe, expect, it } from 'vitest';
import { mailPreviews } from '../../src/mail/templates/previews.js';
import { SECURITY_ALERTS } from '../../src/mail/templates/security-alerts.js';

describe('the email templates', () => {
  it('render every notice, as the preview shows them, in HTML and in plain text', async () => {
    const previews = await mailPreviews('https://app.example.com');
    const notices = [...previews].filter(([name]) => name.startsWith('security-'));
    expect(notices).toHaveLength(Object.keys(SECURITY_ALERTS).length);
    for (const [name, mail] of notices) {
      expect(mail.html, name).toMatch(/^<!DOCTYPE html/i);
      expect(mail.html, name).toContain(
        'href="https://app.example.com/settings/security-activity"',
      );
      expect(mail.html, name).toContain('Hello Ada,');
      expect(mail.text, name).toContain('Hello Ada,');
      expect(mail.text, name).toContain('IP address: 203.0.113.7');
      expect(mail.text, name).toContain('https://app.example.com/settings/security-activity');
      expect(mail.text, name).not.toMatch(/<[a-z!]/i);
    }
    expect(previews.get('security-passkey-added')?.text).toContain(
      'The passkey “MacBook Touch ID”',
    );
  });

  it('render the account emails too, in HTML and in plain text', async () => {
    const previews = await mailPreviews('https://app.example.com');
    const account = [...previews].filter(([name]) => name.startsWith('account-'));
    expect(account.map(([name]) => name)).toEqual([
      'account-confirm-email-change',
      'account-email-changed',
      'account-deleted',
    ]);
    for (const [name, mail] of account) {
      expect(mail.html, name).toMatch(/^<!DOCTYPE html/i);
      expect(mail.text, name).toContain('Ada');
      expect(mail.text, name).not.toMatch(/<[a-z!]/i);
    }
  });

  it('escape what the user named: a passkey name is text, never markup', async () => {
    const { securityAlertMail } = await import('../../src/mail/templates/security-alert-mail.js');
    const mail = await securityAlertMail({
      to: 'ada@example.com',
      name: '<b>Ada</b>',
      kind: 'passkey_added',
      details: { name: '<img src=x onerror=alert(1)>' },
      at: new Date(),
      device: 'Firefox on Linux',
      ip: null,
      webOrigin: 'https://app.example.com',
    });
    expect(mail.html).not.toContain('<img src=x');
    expect(mail.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(mail.html).not.toContain('<b>Ada</b>');
  });
});
