# Installs loss4j's import hook in a fresh GraalPy context: the package `loss4j` is read from the jar's
# resources, and `torch`, `torch.nn`, ... are aliases of `loss4j`, `loss4j.nn`, ...
import sys
import importlib
import importlib.abc
import importlib.machinery
import linecache
import java

_ShimSources = java.type('dev.loss4j.python.ShimSources')


class _SourceLoader(importlib.abc.Loader):
    def __init__(self, source, filename):
        self._source = source
        self._filename = filename

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        module.__file__ = self._filename
        # Lets tracebacks show the shim's source lines.
        linecache.cache[self._filename] = (len(self._source), None, self._source.splitlines(True), self._filename)
        exec(compile(self._source, self._filename, 'exec'), module.__dict__)


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, target):
        self._target = target

    def create_module(self, spec):
        return importlib.import_module(self._target)

    def exec_module(self, module):
        pass


class _ShimFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        if fullname == 'torch' or fullname.startswith('torch.'):
            name = 'loss4j' + fullname[len('torch'):]
            if self.find_spec(name) is None:
                return None
            return importlib.machinery.ModuleSpec(fullname, _AliasLoader(name))
        if fullname != 'loss4j' and not fullname.startswith('loss4j.'):
            return None
        rel = fullname.replace('.', '/')
        for candidate, is_package in ((rel + '/__init__.py', True), (rel + '.py', False)):
            source = _ShimSources.read(candidate)
            if source is not None:
                filename = 'loss4j.jar!/' + candidate
                spec = importlib.machinery.ModuleSpec(fullname, _SourceLoader(str(source), filename),
                                                      origin=filename, is_package=is_package)
                return spec
        return None


if not any(isinstance(f, _ShimFinder) for f in sys.meta_path):
    sys.meta_path.insert(0, _ShimFinder())
