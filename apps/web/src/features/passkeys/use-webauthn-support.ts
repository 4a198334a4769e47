import { browserSupportsWebAuthn } from '@simplewebauthn/browser';
import { useSyncExternalStore } from 'react';

const noSubscription = () => () => undefined;

/**
 * Whether this browser can make and use passkeys. Known only in the browser: the server's render
 * assumes yes, so the first render in the browser matches it.
 */
export const useWebAuthnSupport = () =>
  useSyncExternalStore(noSubscription, browserSupportsWebAuthn, () => true);
