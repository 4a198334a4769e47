import { INVITATION_DAYS, type SecurityEventDetails } from '@repo/contracts';
import { invitationMail } from './invitation-mail.js';
import { type MailMessage } from '../mail.service.js';
import {
  accountDeletedMail,
  confirmEmailChangeMail,
  emailChangedMail,
  linkWithToken,
} from './account-mails.js';
import { securityAlertMail } from './security-alert-mail.js';
import { SECURITY_ALERTS, type SecurityAlertKind } from './security-alerts.js';

/** What the previews fill the notices with: a plausible event of each kind. */
const SAMPLE_DETAILS: Partial<Record<SecurityAlertKind, SecurityEventDetails>> = {
  passkey_added: { name: 'MacBook Touch ID' },
  passkey_removed: { name: 'MacBook Touch ID' },
  provider_linked: { provider: 'github', providerName: 'GitHub' },
  provider_unlinked: { provider: 'github', providerName: 'GitHub' },
  api_key_created: { name: 'CI deploys', scopes: 'read, write' },
};

/** Every email template rendered with sample data, by name: for the preview script and tests. */
export async function mailPreviews(webOrigin: string): Promise<Map<string, MailMessage>> {
  const kinds = Object.keys(SECURITY_ALERTS) as SecurityAlertKind[];
  const rendered = await Promise.all(
    kinds.map((kind) =>
      securityAlertMail({
        to: 'ada@example.com',
        name: 'Ada',
        kind,
        details: SAMPLE_DETAILS[kind] ?? {},
        at: new Date('2026-01-15T09:30:00Z'),
        device: 'Firefox on Linux',
        ip: '203.0.113.7',
        webOrigin,
      }),
    ),
  );
  const to = 'ada@example.com';
  const link = (page: string) => linkWithToken(webOrigin, page, 'sample-token');
  const account: [string, MailMessage][] = [
    [
      'account-confirm-email-change',
      await confirmEmailChangeMail({ to, name: 'Ada', link: link('/confirm-email-change') }),
    ],
    [
      'account-email-changed',
      await emailChangedMail({
        to,
        name: 'Ada',
        newEmail: 'ada.king@example.com',
        link: link('/undo-email-change'),
        webOrigin,
      }),
    ],
    ['account-deleted', await accountDeletedMail({ to, name: 'Ada' })],
    [
      'organisation-invitation',
      await invitationMail({
        to,
        organisation: 'Analytical Engines',
        invitedBy: 'Charles',
        role: 'admin',
        link: link('/invitations/accept'),
        days: INVITATION_DAYS,
      }),
    ],
  ];
  return new Map([
    ...kinds.map((kind, i) => [`security-${kind.replaceAll('_', '-')}`, rendered[i]!] as const),
    ...account,
  ]);
}
