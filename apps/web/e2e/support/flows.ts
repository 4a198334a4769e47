import { type Page } from 'playwright-core';
import { mailedLink } from './api.js';

interface Account {
  name: string;
  email: string;
  password: string;
}

/** Registers through the form, then opens the verification link the API's dev outbox has. */
export async function registerInBrowser(
  page: Page,
  stack: { webUrl: string; apiUrl: string },
  account: Account,
) {
  await page.goto(`${stack.webUrl}/register`);
  await page.getByLabel('Name').fill(account.name);
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByText('Password strength:').waitFor();
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: 'Check your email' }).waitFor();
  await page.goto(await mailedLink(stack.apiUrl, account.email, /Confirm/));
  await page.getByRole('heading', { name: 'Email confirmed' }).waitFor();
}

export async function logIn(page: Page, webUrl: string, account: Omit<Account, 'name'>) {
  await page.goto(`${webUrl}/login`);
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

export async function addNote(page: Page, title: string) {
  await page.getByLabel('Title').first().fill(title);
  await page.getByRole('button', { name: 'Add note' }).click();
  await page.getByText(title).first().waitFor();
}
