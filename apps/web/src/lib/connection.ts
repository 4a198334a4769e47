import { type ConnectionFinding } from '@repo/client';

/**
 * What a visitor is told when the API cannot be reached: what happened, in their words, and what
 * they can do. Never a variable name or a command: those are for developers, and development
 * builds show them beside this (components/developer-hint.tsx).
 */
export interface ConnectionMessage {
  title: string;
  /** What the visitor can do about it. */
  action: string;
}

/** The message for a diagnosed finding, or for a failure nobody diagnosed (undefined). */
export function connectionMessage(finding: ConnectionFinding | undefined): ConnectionMessage {
  switch (finding) {
    case 'offline':
      return {
        title: 'You are offline',
        action: 'Check your internet connection, then try again.',
      };
    case 'api_timeout':
      return {
        title: 'The service is taking too long to answer',
        action: 'Try again in a moment.',
      };
    default:
      // Down, blocked or misconfigured: nothing a visitor can fix but waiting.
      return { title: 'We can’t reach the service', action: 'Try again in a moment.' };
  }
}
