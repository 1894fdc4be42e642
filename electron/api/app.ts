import { z } from 'zod';
import { area, method } from './contract';

export const appApi = area('app', {
  'app.info': method({
    description: 'Version, host and where the data lives.',
    input: z.object({}),
    handler: (ctx) => ({
      version: ctx.appVersion,
      host: ctx.host,
      dataDir: ctx.dataDir,
      databaseFile: ctx.db.file,
    }),
  }),
});
