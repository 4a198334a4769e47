// The helpers live in the package (src/clients.ts): the doctor's and the resilience suite's tests use them too.
export {
  type Credentials,
  disposeClients,
  lastEmail,
  nativeClient,
  newCredentials,
  verifiedUser,
} from '../../src/clients.js';
