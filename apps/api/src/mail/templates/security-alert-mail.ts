import { type SecurityEventDetails } from '@repo/contracts';
import { createElement as h } from 'react';
import { type MailMessage } from '../mail.service.js';
import { renderEmail } from './render.js';
import { SecurityAlertEmail } from './security-alert.js';
import { SECURITY_ALERTS, type SecurityAlertKind } from './security-alerts.js';

export interface SecurityAlertInput {
  to: string;
  name: string;
  kind: SecurityAlertKind;
  details: SecurityEventDetails;
  at: Date;
  device: string;
  ip: string | null;
  webOrigin: string;
}

/** A security notice as an email: subject, text and HTML from one template. */
export async function securityAlertMail(input: SecurityAlertInput): Promise<MailMessage> {
  const alert = SECURITY_ALERTS[input.kind];
  const { html, text } = await renderEmail(
    h(SecurityAlertEmail, {
      name: input.name,
      headline: alert.headline,
      body: alert.body(input.details),
      when: input.at.toUTCString(),
      device: input.device,
      ip: input.ip,
      activityUrl: `${input.webOrigin}/settings/security-activity`,
    }),
  );
  return { to: input.to, subject: alert.subject, text, html };
}
