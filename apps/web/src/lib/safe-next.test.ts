import { describe, expect, it } from 'vitest';
import { isProtectedPath, loginPathFor, loginRedirectFor, safeNextPath } from './safe-next';

describe('safeNextPath', () => {
  it.each(['/dashboard', '/settings/sessions?x=1#top', '/room'])('keeps %s', (path) => {
    expect(safeNextPath(path)).toBe(path);
  });

  it.each([
    null,
    '',
    'dashboard',
    'https://evil.example/x',
    '//evil.example',
    '/\\evil.example',
    'javascript:alert(1)',
    '/\tjavascript',
    `/${'x'.repeat(2_001)}`,
  ])('refuses %j', (next) => {
    expect(safeNextPath(next)).toBeNull();
  });

  it('normalises dot segments', () => {
    expect(safeNextPath('/a/../settings')).toBe('/settings');
  });
});

describe('loginPathFor', () => {
  it('comes back to protected pages', () => {
    expect(loginPathFor('/settings/api-keys')).toBe('/login?next=%2Fsettings%2Fapi-keys');
  });

  it('does not carry other pages (nor their mailed tokens) along', () => {
    expect(loginPathFor('/')).toBe('/login');
    expect(loginPathFor('/verify-email?token=abc')).toBe('/login');
  });
});

describe('loginRedirectFor', () => {
  it('sends a logout clicked here to the plain login page', () => {
    expect(loginRedirectFor('logout', '/dashboard')).toBe('/login');
  });

  it('comes back after a session that ended elsewhere', () => {
    expect(loginRedirectFor('other_tab', '/dashboard')).toBe('/login?next=%2Fdashboard');
    expect(loginRedirectFor('expired', '/room')).toBe('/login?next=%2Froom');
    expect(loginRedirectFor('revoked', '/dashboard')).toBe('/login?next=%2Fdashboard');
    expect(loginRedirectFor(null, '/dashboard')).toBe('/login?next=%2Fdashboard');
  });
});

describe('isProtectedPath', () => {
  it('matches whole path segments', () => {
    expect(isProtectedPath('/settings/mfa')).toBe(true);
    expect(isProtectedPath('/dashboard')).toBe(true);
    expect(isProtectedPath('/roomy')).toBe(false);
    expect(isProtectedPath('/login')).toBe(false);
  });
});
