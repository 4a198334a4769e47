import { contract, type Session } from '@repo/contracts';
import { defineScenarios, refused, succeeds } from '../../test/support/scenarios.js';

const { sessions, users } = contract;

export const scenarios = defineScenarios(sessions, {
  list: [
    succeeds('sessions', async (w) => ({ as: await w.user() })),
    refused('sessions without a token', [401, 'unauthorized'], () => ({})),
  ],
  revoke: [
    succeeds(
      'revoke another session of mine',
      async (w) => {
        const user = await w.user();
        const other = await w.login(user);
        const list = await w.expect('sessions', sessions.list, 'success', { as: user });
        const { id } = (list.json() as Session[]).find((s) => !s.current)!;
        return { as: user, params: { id }, context: { other } };
      },
      async (w, _reply, request) => {
        await w.expect('revoke it again', sessions.revoke, [404, 'not_found'], request);
        const other = request.context!.other as { accessToken: string };
        await w.expect('the revoked session’s token', users.me, [401, 'token_invalid'], {
          as: other,
        });
      },
    ),
    refused('revoke a non-UUID', [400, 'validation_failed'], async (w) => ({
      as: await w.user(),
      params: { id: 'not-a-uuid' },
    })),
    refused('revoke someone else’s session', [404, 'not_found'], async (w) => {
      const owner = await w.user();
      const list = await w.expect('sessions', sessions.list, 'success', { as: owner });
      return { as: await w.user(), params: { id: (list.json() as Session[])[0]!.id } };
    }),
    refused('revoke without a token', [401, 'unauthorized'], async (w) => {
      const list = await w.expect('sessions', sessions.list, 'success', { as: await w.user() });
      return { params: { id: (list.json() as Session[])[0]!.id } };
    }),
  ],
});
