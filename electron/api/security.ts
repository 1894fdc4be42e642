// How saved sign-ins are protected: which key is in use, a warning when it is weak (Linux with no
// secret service), and the passphrase the user can set, enter, change or remove.
import { z } from 'zod';
import { releaseActiveAccounts } from '../core/accounts/accounts';
import { area, method } from './contract';

const passphrase = z.string().min(1, 'enter a passphrase').max(1024);

export const securityApi = area('security', {
  'security.status': method({
    description: 'Whether saved sign-ins are unlocked, what protects them, and any warning to show.',
    input: z.object({}),
    handler: (ctx) => ctx.vault.status(),
  }),
  'security.unlock': method({
    description: 'Enter the passphrase chosen earlier to unlock saved sign-ins for this session.',
    input: z.object({ passphrase }),
    handler: async (ctx, i) => {
      const status = await ctx.vault.unlock(i.passphrase);
      releaseActiveAccounts(ctx);
      return status;
    },
  }),
  'security.setPassphrase': method({
    description: 'Protect saved sign-ins with a passphrase (or change it); everything is re-encrypted at once.',
    input: z.object({ passphrase: z.string().min(8, 'use at least 8 characters').max(1024) }),
    handler: (ctx, i) => ctx.vault.setPassphrase(i.passphrase),
  }),
  'security.removePassphrase': method({
    description: 'Go back to the system keychain (or key file) instead of a passphrase.',
    input: z.object({}),
    handler: (ctx) => ctx.vault.removePassphrase(),
  }),
});
