import { Button } from '@react-email/button';
import { Text } from '@react-email/text';
import { createElement as h } from 'react';
import { Layout } from './layout.js';

export interface AccountNoticeProps {
  name: string;
  headline: string;
  /** The paragraphs before the button. */
  paragraphs: readonly string[];
  action?: { label: string; href: string };
  /** The paragraphs after the button: what to do if it was not the user. */
  after?: readonly string[];
  /** Why the recipient gets it, when not for a change to their account. */
  footer?: string;
}

const styles = {
  text: { fontSize: '15px', lineHeight: '22px', color: '#27272a' },
  button: {
    backgroundColor: '#18181b',
    color: '#ffffff',
    padding: '10px 16px',
    borderRadius: '6px',
    fontSize: '14px',
  },
};

/** A message about the account itself (its address, its deletion): text, and at most one link. */
export function AccountNoticeEmail(props: AccountNoticeProps) {
  const paragraph = (text: string) => h(Text, { key: text, style: styles.text }, text);
  return h(
    Layout,
    {
      preview: props.headline,
      heading: props.headline,
      footer:
        props.footer ??
        'You get this email because of a change to your account. It cannot be turned off.',
    },
    h(Text, { style: styles.text }, `Hello ${props.name},`),
    ...props.paragraphs.map(paragraph),
    props.action
      ? h(Button, { href: props.action.href, style: styles.button }, props.action.label)
      : null,
    ...(props.after ?? []).map(paragraph),
  );
}
