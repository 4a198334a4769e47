import { EMAIL_CHANGE_CONFIRM_HOURS, EMAIL_CHANGE_UNDO_DAYS } from '@repo/contracts';
import { createElement as h } from 'react';
import { type MailMessage } from '../mail.service.js';
import { AccountNoticeEmail, type AccountNoticeProps } from './account-notice.js';
import { renderEmail } from './render.js';

async function accountMail(
  to: string,
  subject: string,
  props: AccountNoticeProps,
): Promise<MailMessage> {
  const { html, text } = await renderEmail(h(AccountNoticeEmail, props));
  return { to, subject, text, html, ...(props.action ? { link: props.action.href } : {}) };
}

/**
 * The one-time token of a mailed link travels in the fragment (`#token=`), which browsers never
 * send to a server: no access log or proxy sees it. The page reads it and posts it.
 */
export const linkWithToken = (webOrigin: string, page: string, token: string) =>
  `${webOrigin}${page}#${new URLSearchParams({ token }).toString()}`;

/** To the new address: the link that proves it is the user's and switches to it. */
export const confirmEmailChangeMail = (input: {
  to: string;
  name: string;
  link: string;
}): Promise<MailMessage> =>
  accountMail(input.to, 'Confirm your new email address', {
    name: input.name,
    headline: 'Confirm your new email address',
    paragraphs: [
      `You asked to use this address for your account. Open the link within ${EMAIL_CHANGE_CONFIRM_HOURS} hours to switch to it:`,
    ],
    action: { label: 'Use this address', href: input.link },
    after: ['If you did not ask for it, ignore this email: your account keeps its address.'],
  });

/** To the old address, once changed: what happened, and the link that undoes it. */
export const emailChangedMail = (input: {
  to: string;
  name: string;
  newEmail: string;
  link: string;
  webOrigin: string;
}): Promise<MailMessage> =>
  accountMail(input.to, 'Your email address was changed', {
    name: input.name,
    headline: 'Your account’s email address was changed',
    paragraphs: [
      `Your account now uses ${input.newEmail}; this address no longer signs in or gets its emails.`,
      `If you did not make this change, undo it within ${EMAIL_CHANGE_UNDO_DAYS} days: this address comes back and every session is signed out.`,
    ],
    action: { label: 'Undo the change', href: input.link },
    after: [
      `Then reset your password, since someone else may know it: ${input.webOrigin}/forgot-password`,
    ],
  });

/** To the address of a deleted account: the last email it gets. */
export const accountDeletedMail = (input: { to: string; name: string }): Promise<MailMessage> =>
  accountMail(input.to, 'Your account was deleted', {
    name: input.name,
    headline: 'Your account was deleted',
    paragraphs: [
      'Your account and all its data (notes, sessions, API keys, passkeys, linked accounts and security activity) were deleted. Every session was signed out.',
      'This cannot be undone. You may register again with this address at any time.',
    ],
  });
