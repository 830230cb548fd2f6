// Module boundaries of the server, checked by `npm run lint` (dependency-cruiser; `npm run lint:deps`).

/**
 * Folder cycles that exist today and are being broken (issue 13): module → modules it may still reach in
 * a cycle. Any other cycle between two folders of server/src fails lint; remove an entry once its cycle
 * is gone (the `known-folder-cycle` warnings list what is left). Do not add entries.
 */
const KNOWN_CYCLES = {
  // child-merge moves every record of a merged child (cases, notices, roster rows, payments, …; tips through CaseTipRecords)
  children: ['cases', 'enrolment', 'guardians', 'registry', 'subsidies'],
  cases: ['children'],
  enrolment: ['children', 'registry'],
  registry: ['cases', 'children'],
  guardians: ['children'],
  subsidies: ['children'],
};

const MODULES = '^server/src/modules/';
const anyOf = (names) => `${MODULES}(${names.join('|')})$`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycle',
      comment:
        'Two folders of server/src (e.g. two modules) must not depend on each other, directly or through others. ' +
        'Move what both sides need to the lower module or to common/, or let the owner export a small service ' +
        '(or an abstract class the other side provides, as AccountSessions and SessionAuthenticator do).',
      severity: 'error',
      scope: 'folder',
      from: { path: '^server/src', pathNot: anyOf(Object.keys(KNOWN_CYCLES)) },
      to: { circular: true },
    },
    ...Object.entries(KNOWN_CYCLES).flatMap(([from, tos]) => [
      {
        name: 'no-folder-cycle',
        severity: 'error',
        scope: 'folder',
        from: { path: anyOf([from]) },
        to: { circular: true, pathNot: anyOf(tos) },
      },
      {
        name: 'known-folder-cycle',
        comment: 'A folder cycle that existed when the rule came in (KNOWN_CYCLES in .dependency-cruiser.cjs): break it.',
        severity: 'warn',
        scope: 'folder',
        from: { path: anyOf([from]) },
        to: { circular: true, path: anyOf(tos) },
      },
    ]),
    {
      name: 'no-foreign-entity',
      comment:
        "A module's entities are used only inside it (issue 13): read another module's data through its " +
        'exported service or a small repository it exports. A warning until the existing imports are gone.',
      severity: 'warn',
      from: { path: `${MODULES}([^/]+)/` },
      to: { path: `${MODULES}[^/]+/[^/]+[.]entit(y|ies)[.]ts$`, pathNot: `${MODULES}$1/` },
    },
    {
      name: 'no-circular',
      comment: 'No file of server/src depends on itself through other files.',
      severity: 'error',
      from: { path: '^server/src' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Composition roots wire every module together (entity list, data source, migrations that repair data
    // with a module's code, seeds, the Nest app, the CLI): they sit above the modules, so they stay out of
    // the graph the rules are checked on.
    exclude: {
      path: [
        '(^|/)dist/',
        '^server/src/(app|app\\.module|main|cli)\\.ts$',
        '^server/src/database/(entities|data-source)\\.ts$',
        '^server/src/database/(seed|generator|migrations)/',
      ],
    },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'server/tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
