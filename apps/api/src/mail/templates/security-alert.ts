import { Button } from '@react-email/button';
import { Section } from '@react-email/section';
import { Text } from '@react-email/text';
import { createElement as h } from 'react';
import { Layout } from './layout.js';

export interface SecurityAlertProps {
  name: string;
  /** What happened, in one sentence: the heading. */
  headline: string;
  /** What it means and what to do if it was not the user. */
  body: string;
  /** When and from where, as the user will recognise it. */
  when: string;
  device: string;
  ip: string | null;
  /** The Security activity page. */
  activityUrl: string;
}

const styles = {
  text: { fontSize: '15px', lineHeight: '22px', color: '#27272a' },
  facts: { fontSize: '14px', lineHeight: '20px', color: '#3f3f46', margin: '0' },
  button: {
    backgroundColor: '#18181b',
    color: '#ffffff',
    padding: '10px 16px',
    borderRadius: '6px',
    fontSize: '14px',
  },
};

/**
 * A security notice: something changed how the account is protected, or it was signed into from
 * somewhere new. The same element renders the HTML part and (render's plainText) the text part.
 */
export function SecurityAlertEmail(props: SecurityAlertProps) {
  return h(
    Layout,
    {
      preview: props.headline,
      heading: props.headline,
      footer:
        'You get this email for every important change to your account’s security. It cannot be turned off.',
    },
    h(Text, { style: styles.text }, `Hello ${props.name},`),
    h(Text, { style: styles.text }, props.body),
    h(
      Section,
      null,
      h(Text, { style: styles.facts }, `When: ${props.when}`),
      h(Text, { style: styles.facts }, `Device: ${props.device}`),
      h(Text, { style: styles.facts }, `IP address: ${props.ip ?? 'unknown'}`),
    ),
    h(
      Text,
      { style: styles.text },
      'If this was you, there is nothing to do. If it was not, change your password now and review your security activity:',
    ),
    h(Button, { href: props.activityUrl, style: styles.button }, 'Review security activity'),
  );
}
