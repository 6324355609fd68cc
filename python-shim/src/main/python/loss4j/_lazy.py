"""Lazy re-exports for the shim's packages (torch.nn, torch.nn.functional, torch.nn.modules).

Each package names, per family module, the names it re-exports; a family module is imported the first time
one of its names is read, so `import torch` does not compile and run all of them (about 1 s of a fresh
interpreter's start on the launcher). tests-parity's ShimImportTest checks each table against the family
modules' `__all__`.
"""
import sys


def exports(package, table, fallback):
    """Module-level `__getattr__` and `__dir__` for `package`, whose `table` maps a family module's relative
    name to the names it exports; names in no family go to `fallback` (the NotImplementedError of _missing)."""
    home = {name: family for family, names in table.items() for name in names}
    namespace = sys.modules[package].__dict__

    def __getattr__(name):
        family = home.get(name)
        if family is None:
            if name.startswith('_') and name not in table:
                # AttributeError, so that `from . import _args` inside the package imports the submodule.
                raise AttributeError("module '%s' has no attribute '%s'" % (package, name))
            if name not in table:
                return fallback(name)
            # A family module itself, read as an attribute before anything imported it.
            __import__(package + '.' + name)
            return sys.modules[package + '.' + name]
        value = getattr(__import__(package + '.' + family, fromlist=[name]), name)
        namespace[name] = value  # later reads find it without coming back here
        return value

    def __dir__():
        return sorted(set(namespace) | set(home))

    return __getattr__, __dir__, sorted(home)
