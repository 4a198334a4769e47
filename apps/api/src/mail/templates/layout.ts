import { Body } from '@react-email/body';
import { Container } from '@react-email/container';
import { Head } from '@react-email/head';
import { Heading } from '@react-email/heading';
import { Hr } from '@react-email/hr';
import { Html } from '@react-email/html';
import { Preview } from '@react-email/preview';
import { Text } from '@react-email/text';
import { createElement as h, type ReactNode } from 'react';

// Inline styles: most email clients ignore <style> blocks.
const styles = {
  body: { backgroundColor: '#f4f4f5', fontFamily: 'Helvetica, Arial, sans-serif', margin: 0 },
  container: {
    backgroundColor: '#ffffff',
    margin: '24px auto',
    maxWidth: '560px',
    padding: '24px 32px',
    borderRadius: '8px',
  },
  heading: { fontSize: '20px', color: '#18181b', margin: '0 0 16px' },
  footer: { fontSize: '12px', color: '#71717a' },
};

export interface LayoutProps {
  /** The line inboxes show after the subject. */
  preview: string;
  heading: string;
  footer: string;
  children?: ReactNode;
}

/** The frame every email shares: its heading, its content, a footer. */
export function Layout({ preview, heading, footer, children }: LayoutProps) {
  return h(
    Html,
    { lang: 'en' },
    h(Head),
    h(Preview, null, preview),
    h(
      Body,
      { style: styles.body },
      h(
        Container,
        { style: styles.container },
        h(Heading, { as: 'h1', style: styles.heading }, heading),
        children,
        h(Hr),
        h(Text, { style: styles.footer }, footer),
      ),
    ),
  );
}
