import { type OrgRole } from '@repo/contracts';
import { createElement as h } from 'react';
import { type MailMessage } from '../mail.service.js';
import { AccountNoticeEmail } from './account-notice.js';
import { renderEmail } from './render.js';

/** The invitation: who asks, into what, with which role, and the link that accepts. */
export async function invitationMail(input: {
  to: string;
  organisation: string;
  invitedBy: string;
  role: OrgRole;
  link: string;
  days: number;
}): Promise<MailMessage> {
  const subject = `${input.invitedBy} invited you to ${input.organisation}`;
  const { html, text } = await renderEmail(
    h(AccountNoticeEmail, {
      name: 'there',
      headline: subject,
      paragraphs: [
        `You are invited to join ${input.organisation} as ${input.role === 'member' ? 'a member' : `an ${input.role}`}. Open the link within ${input.days} days to accept: sign in, or create an account, with this address.`,
      ],
      action: { label: `Join ${input.organisation}`, href: input.link },
      after: ['If you do not know the sender, ignore this email: nothing happens without you.'],
      footer: `You get this email because a member of ${input.organisation} invited this address.`,
    }),
  );
  return { to: input.to, subject, text, html, link: input.link };
}
