import { render, toPlainText } from '@react-email/render';
import { type ReactElement } from 'react';

export interface RenderedEmail {
  html: string;
  text: string;
}

/** Both parts of an email from one template element: the HTML, and the text read from it. */
export async function renderEmail(element: ReactElement): Promise<RenderedEmail> {
  const html = await render(element);
  return { html, text: toPlainText(html) };
}
