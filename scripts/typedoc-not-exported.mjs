// A TypeDoc plugin (loaded by the root typedoc.json): `validation.notExported` for a monorepo.
//
// TypeDoc's own check only looks at types declared in the project's package, which in this
// single-program setup is the private root package, so it never sees @scratchnet/*. This runs the
// same check for the packages listed in `packagesRequiringDocumentation`: a type from one of them
// that a documented signature uses but no entry point exports is reported (a warning, so
// `treatWarningsAsErrors` fails the build), naming the type, its file and where it is used.
import { Application, makeRecursiveVisitor } from 'typedoc';

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.on(Application.EVENT_VALIDATE_PROJECT, (project) => {
    if (!app.options.getValue('validation').notExported) return;
    const packages = new Set(app.options.getValue('packagesRequiringDocumentation'));
    const reported = new Set();
    for (const reflection of Object.values(project.reflections)) {
      const visitor = makeRecursiveVisitor({
        reference(type) {
          const id = type.symbolId;
          if (type.reflection || type.externalUrl || type.isIntentionallyBroken() || !id) return;
          if (!packages.has(id.packageName) || project.symbolIdHasBeenRemoved(id)) return;
          const key = id.getStableKey();
          if (reported.has(key)) return;
          reported.add(key);
          app.logger.validationWarning(
            `${type.qualifiedName}, defined in ${id.packageName}/${id.packagePath}, is referenced by ${reflection.getFriendlyFullName()} but not exported by any entry point`,
          );
        },
      });
      // Types a reader of this reflection's page sees: its own, and its type parameters' bounds.
      reflection.type?.visit(visitor);
      if ('default' in reflection) reflection.default?.visit(visitor);
      for (const type of reflection.implementedTypes ?? []) type.visit(visitor);
    }
  });
}
