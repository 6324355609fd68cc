# Installs loss4j's import hook in a fresh GraalPy context: the package `loss4j` is read from the jar's
# resources, and `torch`, `torch.nn`, ... are aliases of `loss4j`, `loss4j.nn`, ...
#
# Start-up matters here: this runs before every script, so it imports nothing beyond what GraalPy has loaded
# by then (importlib.abc alone would pull in some 75 stdlib modules: importlib.resources, tempfile, inspect,
# pathlib, ...). The finder and loaders follow the import protocol without subclassing the importlib ABCs;
# the traceback module reads the shim's source lines through the loaders' get_source.
# With the system property loss4j.shimCodeCache naming a folder (bin/loss4j-python's fast start), compiled
# modules are read from there (marshal), each kept with the source it was compiled from and used only when
# that source is unchanged; loss4j.shimCodeCache.write=true (the fast start's training run) writes them.
def _install():
    import sys
    from _frozen_importlib import ModuleSpec
    import java

    read = java.type('dev.loss4j.python.ShimSources').read
    system = java.type('java.lang.System')
    code_dir = system.getProperty('loss4j.shimCodeCache')
    write_code = code_dir is not None and system.getProperty('loss4j.shimCodeCache.write') == 'true'

    def compiled(source, filename):
        if code_dir is None:
            return compile(source, filename, 'exec')
        import marshal
        path = '%s/%s.code' % (code_dir, filename.rpartition('!/')[2].replace('/', '.'))
        try:
            with open(path, 'rb') as f:
                cached_source, code = marshal.loads(f.read())
            if cached_source == source:
                return code
        except (OSError, EOFError, ValueError, TypeError):
            pass
        code = compile(source, filename, 'exec')
        if write_code:
            with open(path, 'wb') as f:
                f.write(marshal.dumps((source, code)))
        return code

    class SourceLoader:
        def __init__(self, source, filename):
            self._source = source
            self._filename = filename

        def create_module(self, spec):
            return None

        def exec_module(self, module):
            module.__file__ = self._filename
            exec(compiled(self._source, self._filename), module.__dict__)

        def get_source(self, fullname):
            return self._source

    class AliasLoader:
        def __init__(self, target):
            self._target = target

        def create_module(self, spec):
            __import__(self._target)
            return sys.modules[self._target]

        def exec_module(self, module):
            pass

    class ShimFinder:
        loss4j_shim = True

        def find_spec(self, fullname, path=None, target=None):
            if fullname == 'torch' or fullname.startswith('torch.'):
                name = 'loss4j' + fullname[len('torch'):]
                if self.find_spec(name) is None:
                    return None
                return ModuleSpec(fullname, AliasLoader(name))
            if fullname != 'loss4j' and not fullname.startswith('loss4j.'):
                return None
            rel = fullname.replace('.', '/')
            for candidate, is_package in ((rel + '/__init__.py', True), (rel + '.py', False)):
                source = read(candidate)
                if source is not None:
                    filename = 'loss4j.jar!/' + candidate
                    return ModuleSpec(fullname, SourceLoader(str(source), filename), origin=filename,
                                      is_package=is_package)
            return None

    if not any(getattr(f, 'loss4j_shim', False) for f in sys.meta_path):
        sys.meta_path.insert(0, ShimFinder())

    # An embedded GraalPy context does not import site, so the names it adds to builtins, which scripts call
    # (exit(1), quit(), help(F.mse_loss)), would be missing. They are defined here without importing
    # _sitebuiltins, which costs about a second of start-up on the launcher (measured 2026-12-02); help loads
    # pydoc only when called.
    import builtins
    if not hasattr(builtins, 'exit'):
        class Quitter:
            def __init__(self, name):
                self.name = name

            def __repr__(self):
                return 'Use %s() or Ctrl-D (i.e. EOF) to exit' % self.name

            def __call__(self, code=None):
                try:
                    sys.stdin.close()
                except Exception:
                    pass
                raise SystemExit(code)

        class Helper:
            def __repr__(self):
                return 'Type help() for interactive help, or help(object) for help about object.'

            def __call__(self, *args, **kwds):
                import pydoc
                return pydoc.help(*args, **kwds)

        builtins.exit = Quitter('exit')
        builtins.quit = Quitter('quit')
        builtins.help = Helper()

_install()
del _install
