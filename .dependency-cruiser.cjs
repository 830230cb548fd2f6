// Module boundaries of the server, checked by `npm run lint` (dependency-cruiser; `npm run lint:deps`).

const MODULES = '^server/src/modules/';

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
      from: { path: '^server/src' },
      to: { circular: true },
    },
    {
      name: 'no-foreign-entity',
      comment:
        "A module's entities are used only inside it: read and write another module's data through the small " +
        'repository it exports (`<thing>-records.ts`, e.g. ChildRecords, SchoolRecords) or its service.',
      severity: 'error',
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
