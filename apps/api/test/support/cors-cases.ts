/** The web origin the CORS tests allow, and origins that must be refused although they look close. */
export const ALLOWED_ORIGIN = 'http://localhost:3000';

export const FOREIGN_ORIGINS: [string, string][] = [
  ['an unrelated site', 'http://evil.example'],
  ['the opaque origin null', 'null'],
  ['another port', 'http://localhost:3001'],
  ['https instead of http', 'https://localhost:3000'],
  ['a look-alike host', 'http://localhost.evil.example:3000'],
  ['a suffix trick', 'http://evil-localhost:3000'],
  ['a prefix trick', 'http://localhost:30000'],
  ['upper case', 'HTTP://LOCALHOST:3000'],
  ['a trailing slash', 'http://localhost:3000/'],
];
