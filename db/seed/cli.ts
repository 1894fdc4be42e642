// `npm run db:seed -- --scale small|large [--data <dir>] [--workspace "Name"] [--seed N] [--brand bakery|yoga]`
// Opens (and migrates) <data>/postdesk.db and adds one demo workspace. Progress goes to stderr,
// the summary to stdout.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../client';
import { DB_FILE_NAME } from '../../electron/core/app';
import { defaultDataDir } from '../../electron/core/paths';
import { BRAND_NAMES, DEFAULT_SEED, SCALE_NAMES, seedDemo, type BrandName, type ProgressEvent, type ScaleName } from './index';

const USAGE = `usage: npm run db:seed -- --scale small|large [--data <dir>] [--workspace "Name"] [--seed N] [--brand ${BRAND_NAMES.join('|')}] [--quiet]`;

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

const fmt = new Intl.NumberFormat('en-US');

/** One line per table when it finishes; a live counter in place on a terminal meanwhile. */
function progressPrinter(): (e: ProgressEvent) => void {
  const live = process.stderr.isTTY === true;
  return (e) => {
    const secs = e.elapsedMs / 1000;
    const rate = secs > 0 ? Math.round(e.done / secs) : 0;
    const of = e.total !== null && !e.finished ? ` / ${fmt.format(e.total)}` : '';
    const line = `  ${e.table.padEnd(24)} ${fmt.format(e.done).padStart(10)}${of} rows  ${secs.toFixed(1).padStart(6)} s  ${fmt.format(rate).padStart(9)} rows/s`;
    if (e.finished) process.stderr.write(`${live ? '\r\x1b[2K' : ''}${line}\n`);
    else if (live) process.stderr.write(`\r\x1b[2K${line}`);
  };
}

function main(): void {
  let args;
  try {
    args = parseArgs({
      options: {
        scale: { type: 'string', default: 'small' },
        data: { type: 'string' },
        workspace: { type: 'string' },
        seed: { type: 'string' },
        brand: { type: 'string', default: 'bakery' },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }).values;
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  if (args.help) {
    console.log(USAGE);
    return;
  }
  if (!SCALE_NAMES.includes(args.scale as ScaleName)) fail(`--scale must be one of ${SCALE_NAMES.join(', ')}, got "${args.scale}"`);
  if (!BRAND_NAMES.includes(args.brand as BrandName)) fail(`--brand must be one of ${BRAND_NAMES.join(', ')}, got "${args.brand}"`);
  const seed = args.seed === undefined ? DEFAULT_SEED : Number(args.seed);
  if (!Number.isSafeInteger(seed)) fail(`--seed must be a whole number, got "${args.seed}"`);
  if (args.workspace !== undefined && args.workspace.trim() === '') fail('--workspace needs a name');

  const dataDir = args.data ?? defaultDataDir();
  const file = join(dataDir, DB_FILE_NAME);
  console.error(`Seeding a ${args.scale} demo workspace into ${file}`);
  const db = openDatabase({ file });
  try {
    const r = seedDemo(db, {
      scale: args.scale as ScaleName,
      seed,
      brand: args.brand as BrandName,
      ...(args.workspace !== undefined ? { workspaceName: args.workspace } : {}),
      ...(args.quiet ? {} : { onProgress: progressPrinter() }),
    });
    const rows = Object.values(r.counts).reduce((a, b) => a + b, 0);
    console.log(`Seeded workspace "${r.workspaceName}" (${r.workspaceId}): ${fmt.format(rows)} rows in ${(r.elapsedMs / 1000).toFixed(1)} s (scale ${r.scale}, brand ${r.brand}, seed ${r.seed}).`);
    for (const [table, n] of Object.entries(r.counts)) console.log(`  ${table.padEnd(24)} ${fmt.format(n).padStart(10)}`);
  } catch (err) {
    console.error(`Seeding failed: ${err instanceof Error ? err.message : String(err)}\nNothing was kept: the partial workspace was removed. Fix the cause above and run the command again.`);
    process.exitCode = 1;
  } finally {
    db.close();
  }
}

main();
