/** A user's credentials, unique per call. */
export interface Credentials {
  email: string;
  password: string;
  name: string;
}

let sequence = 0;
/** New credentials that no other call, test file or concurrent run hands out. */
export const newCredentials = (): Credentials => ({
  email: `user-${process.pid}-${Date.now()}-${sequence++}@example.com`,
  password: 'correct horse battery staple',
  name: 'Test User',
});
