import { CONNECTION_FINDINGS } from '@repo/client';
import { describe, expect, it } from 'vitest';
import { connectionMessage } from './connection';

describe('connectionMessage', () => {
  it('tells a visitor what happened and what to do, never a variable or a command', () => {
    for (const finding of [...CONNECTION_FINDINGS, undefined]) {
      const { title, action } = connectionMessage(finding);
      expect(title).not.toBe('');
      expect(action).not.toBe('');
      expect(`${title} ${action}`).not.toMatch(/[A-Z]{2,}_[A-Z]|pnpm|`|https?:/);
    }
  });

  it('tells being offline and a slow service apart from an unreachable one', () => {
    expect(connectionMessage('api_unreachable').title).toBe('We can’t reach the service');
    expect(connectionMessage('cors_blocked')).toEqual(connectionMessage('api_unreachable'));
    expect(connectionMessage(undefined)).toEqual(connectionMessage('api_unreachable'));
    expect(connectionMessage('offline').title).toBe('You are offline');
    expect(connectionMessage('api_timeout').title).toMatch(/too long/);
  });
});
