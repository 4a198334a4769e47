import { type MailMessage } from '../mail/mail.service.js';

/**
 * To the owner of an address someone registered with again. Registration answers alike either
 * way (no account enumeration), so this email is how the owner, if it was them, learns what to do.
 */
export function registrationAttemptMail(input: {
  to: string;
  name: string;
  webOrigin: string;
}): MailMessage {
  const login = `${input.webOrigin}/login`;
  return {
    to: input.to,
    subject: 'Someone tried to register with your email address',
    text: [
      `Hello ${input.name},`,
      'Someone, maybe you, tried to create an account with this email address. You already have one, so no new account was made.',
      `If it was you, log in instead:\n${login}`,
      `Forgot your password? Choose a new one:\n${input.webOrigin}/forgot-password`,
      'If it was not you, ignore this email: nothing changed on your account.',
    ].join('\n\n'),
    link: login,
  };
}
