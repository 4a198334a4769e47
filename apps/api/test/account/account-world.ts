import { contract } from '@repo/contracts';
import { newCredentials } from '@repo/test-support';
import { type TestUser, type World } from '../support/world.js';

const { account } = contract;

/** The one-time token of a mailed link: it travels in the fragment (`#token=`). */
export const fragmentToken = (link: string): string =>
  new URLSearchParams(new URL(link).hash.slice(1)).get('token')!;

export const CONFIRM_SUBJECT = /Confirm your new email/;
export const CHANGED_SUBJECT = /email address was changed/;

/** A fresh address nobody has. */
export const newAddress = () => newCredentials().email;

/** A user who asked to move to a new address, and the token mailed there. */
export async function requestedChange(w: World, user?: TestUser) {
  const owner = user ?? (await w.user());
  const newEmail = newAddress();
  await w.expect('request an email change', account.requestEmailChange, 'success', {
    as: owner,
    body: { email: newEmail },
  });
  const { link } = await w.mailed(newEmail, CONFIRM_SUBJECT);
  return { user: owner, newEmail, token: fragmentToken(link!) };
}

/** A user whose address was changed, and the undo token mailed to the old one. */
export async function confirmedChange(w: World) {
  const change = await requestedChange(w);
  await w.expect('confirm the email change', account.confirmEmailChange, 'success', {
    body: { token: change.token },
  });
  const { link } = await w.mailed(change.user.email, CHANGED_SUBJECT);
  return { ...change, undoToken: fragmentToken(link!) };
}
