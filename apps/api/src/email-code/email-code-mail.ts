import { EMAIL_CODE_TTL_MINUTES } from '@repo/contracts';
import { type MailMessage } from '../mail/mail.service.js';

/**
 * The email that carries a sign-in code, and a link that signs in with one click. The code and the
 * address travel in the link's fragment, which browsers never send to a server, so no access log
 * or proxy sees them; the web page reads it and posts it.
 */
export function emailCodeMail(input: {
  to: string;
  code: string;
  webOrigin: string;
  /** Someone signing up: no account yet, it is created by the code. */
  signUp: boolean;
}): MailMessage {
  const fragment = new URLSearchParams({ email: input.to, code: input.code }).toString();
  const link = `${input.webOrigin}/login/email-code#${fragment}`;
  const purpose = input.signUp ? 'create your account' : 'sign in';
  return {
    to: input.to,
    subject: input.signUp ? 'Your code to finish signing up' : 'Your sign-in code',
    text: [
      'Hello,',
      `Your code to ${purpose} is ${input.code}. It works once, within ${EMAIL_CODE_TTL_MINUTES} minutes.`,
      `Or open this link to ${purpose} at once:\n${link}`,
      'If you did not ask for it, ignore this email: nobody can use it without access to your inbox.',
    ].join('\n\n'),
    link,
  };
}
