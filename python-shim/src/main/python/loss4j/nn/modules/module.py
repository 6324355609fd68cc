"""torch.nn.Module, reduced to what loss modules and hand-written loss modules use: call-through to forward,
PyTorch's repr, parameters, buffers and sub-modules registered by attribute assignment (or register_buffer /
register_parameter / add_module), their iterators, state_dict, to(), train()/eval(), zero_grad() and apply()."""


class Module:
    """Base class of the shim's modules; `module(*args)` calls `forward(*args)`.

    Assigning an nn.Parameter to an attribute registers it as a parameter, a Module as a sub-module; buffers are
    registered with register_buffer. Each lives in its own ordered dict, as in PyTorch, so the iterators list
    them in registration order with dotted names ('encoder.weight').
    """

    def __init__(self, *args, **kwargs):
        object.__setattr__(self, 'training', True)
        object.__setattr__(self, '_parameters', {})
        object.__setattr__(self, '_buffers', {})
        object.__setattr__(self, '_non_persistent_buffers_set', set())
        object.__setattr__(self, '_modules', {})

    def __call__(self, *args, **kwargs):
        return self.forward(*args, **kwargs)

    def forward(self, *args, **kwargs):
        raise NotImplementedError('Module [%s] is missing the required "forward" function' % type(self).__name__)

    # ---- registration -------------------------------------------------------------------------------
    def _dicts(self):
        d = self.__dict__
        if '_parameters' not in d:
            raise AttributeError('cannot assign module before Module.__init__() call')
        return d['_parameters'], d['_buffers'], d['_modules']

    def __setattr__(self, name, value):
        from ..parameter import Parameter
        from ..._tensor import Tensor
        d = self.__dict__
        params = d.get('_parameters')
        if isinstance(value, Parameter):
            if params is None:
                raise AttributeError('cannot assign parameters before Module.__init__() call')
            self._forget(name)
            params[name] = value
        elif params is not None and name in params:
            if value is not None:
                raise TypeError("cannot assign '%s' as parameter '%s' (torch.nn.Parameter or None expected)"
                                % (_typename(value), name))
            params[name] = None
        elif isinstance(value, Module):
            if d.get('_modules') is None:
                raise AttributeError('cannot assign module before Module.__init__() call')
            self._forget(name)
            d['_modules'][name] = value
        elif d.get('_modules') is not None and name in d['_modules']:
            if value is not None:
                raise TypeError("cannot assign '%s' as child module '%s' (torch.nn.Module or None expected)"
                                % (_typename(value), name))
            d['_modules'][name] = None
        elif d.get('_buffers') is not None and name in d['_buffers']:
            if value is not None and not isinstance(value, Tensor):
                raise TypeError("cannot assign '%s' as buffer '%s' (torch.Tensor or None expected)"
                                % (_typename(value), name))
            d['_buffers'][name] = value
        else:
            object.__setattr__(self, name, value)

    def _forget(self, name):
        d = self.__dict__
        d.pop(name, None)
        for key in ('_parameters', '_buffers', '_modules'):
            if d.get(key) is not None:
                d[key].pop(name, None)

    def __getattr__(self, name):
        d = self.__dict__
        for key in ('_parameters', '_buffers', '_modules'):
            store = d.get(key)
            if store is not None and name in store:
                return store[name]
        raise AttributeError("'%s' object has no attribute '%s'" % (type(self).__name__, name))

    def __delattr__(self, name):
        d = self.__dict__
        for key in ('_parameters', '_buffers', '_modules'):
            store = d.get(key)
            if store is not None and name in store:
                del store[name]
                d['_non_persistent_buffers_set'].discard(name)
                return
        object.__delattr__(self, name)

    def register_buffer(self, name, tensor, persistent=True):
        """Registers `tensor` (or None) as a buffer: state that is not a parameter (running means, class
        centres, fixed matrices). It follows to() and appears in state_dict() when persistent."""
        from ..._tensor import Tensor
        if '_buffers' not in self.__dict__:
            raise AttributeError('cannot assign buffer before Module.__init__() call')
        if not isinstance(name, str):
            raise TypeError('buffer name should be a string. Got %s' % _typename(name))
        if '.' in name:
            raise KeyError('buffer name can\'t contain "."')
        if name == '':
            raise KeyError('buffer name can\'t be empty string ""')
        if hasattr(self, name) and name not in self._buffers:
            raise KeyError("attribute '%s' already exists" % name)
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError("cannot assign '%s' object to buffer '%s' (torch Tensor or None required)"
                            % (_typename(tensor), name))
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent_buffers_set.discard(name)
        else:
            self._non_persistent_buffers_set.add(name)

    def register_parameter(self, name, param):
        from ..parameter import Parameter
        if '_parameters' not in self.__dict__:
            raise AttributeError('cannot assign parameter before Module.__init__() call')
        if hasattr(self, name) and name not in self._parameters:
            raise KeyError("attribute '%s' already exists" % name)
        if param is not None and not isinstance(param, Parameter):
            raise TypeError("cannot assign '%s' object to parameter '%s' (torch.nn.Parameter or None required)"
                            % (_typename(param), name))
        self._parameters[name] = param

    def add_module(self, name, module):
        if module is not None and not isinstance(module, Module):
            raise TypeError('%s is not a Module subclass' % _typename(module))
        self._modules[name] = module

    register_module = add_module

    # ---- iteration ----------------------------------------------------------------------------------
    def named_modules(self, memo=None, prefix='', remove_duplicate=True):
        if memo is None:
            memo = set()
        if id(self) in memo and remove_duplicate:
            return
        memo.add(id(self))
        yield prefix, self
        for name, m in self._child_items():
            if m is None:
                continue
            yield from m.named_modules(memo, prefix + ('.' if prefix else '') + name, remove_duplicate)

    def modules(self):
        for _, m in self.named_modules():
            yield m

    def named_children(self):
        seen = set()
        for name, m in self._child_items():
            if m is not None and id(m) not in seen:
                seen.add(id(m))
                yield name, m

    def children(self):
        for _, m in self.named_children():
            yield m

    def _child_items(self):
        return list(self.__dict__.get('_modules', {}).items())

    def _own_parameters(self):
        return list(self.__dict__.get('_parameters', {}).items())

    def _named(self, own, prefix, recurse, remove_duplicate=True):
        seen = set()
        mods = self.named_modules(prefix=prefix) if recurse else [(prefix, self)]
        for mprefix, m in mods:
            for name, value in own(m):
                if value is None or (remove_duplicate and id(value) in seen):
                    continue
                seen.add(id(value))
                yield mprefix + ('.' if mprefix else '') + name, value

    def named_parameters(self, prefix='', recurse=True, remove_duplicate=True):
        return self._named(lambda m: m._own_parameters(), prefix, recurse, remove_duplicate)

    def parameters(self, recurse=True):
        for _, p in self.named_parameters(recurse=recurse):
            yield p

    def named_buffers(self, prefix='', recurse=True, remove_duplicate=True):
        return self._named(lambda m: list(m.__dict__.get('_buffers', {}).items()), prefix, recurse, remove_duplicate)

    def buffers(self, recurse=True):
        for _, b in self.named_buffers(recurse=recurse):
            yield b

    def state_dict(self, destination=None, prefix='', keep_vars=False):
        """Parameters and persistent buffers by dotted name (detached unless keep_vars), sub-modules included."""
        if destination is None:
            # Imported here: `collections` costs a fresh interpreter about 0.9 s, which `import torch` should not pay.
            from collections import OrderedDict
            destination = OrderedDict()
        out = destination
        for name, p in self._own_parameters():
            if p is not None:
                out[prefix + name] = p if keep_vars else p.detach()
        for name, b in self.__dict__.get('_buffers', {}).items():
            if b is not None and name not in self._non_persistent_buffers_set:
                out[prefix + name] = b if keep_vars else b.detach()
        for name, m in self._child_items():
            if m is not None:
                m.state_dict(out, prefix + name + '.', keep_vars)
        return out

    def load_state_dict(self, state_dict, strict=True, assign=False):
        own = self.state_dict(keep_vars=True)
        missing = [k for k in own if k not in state_dict]
        unexpected = [k for k in state_dict if k not in own]
        if strict and (missing or unexpected):
            parts = []
            if missing:
                parts.append('Missing key(s) in state_dict: %s. ' % ', '.join('"%s"' % k for k in missing))
            if unexpected:
                parts.append('Unexpected key(s) in state_dict: %s. ' % ', '.join('"%s"' % k for k in unexpected))
            raise RuntimeError('Error(s) in loading state_dict for %s:\n\t%s'
                               % (type(self).__name__, '\n\t'.join(parts)))
        from ..._tensor import no_grad
        with no_grad():
            for k, v in state_dict.items():
                if k in own:
                    own[k].copy_(v)
        return _IncompatibleKeys(missing, unexpected)

    # ---- state --------------------------------------------------------------------------------------
    def _apply_to_tensors(self, fn):
        for m in self.modules():
            d = m.__dict__
            for name, p in list(d.get('_parameters', {}).items()):
                if p is not None:
                    moved = fn(p)
                    if moved is not p:
                        # the same Parameter object takes the new data, as PyTorch's to() keeps parameters' identity
                        from ... import _bridge
                        p._v = _bridge.call(_bridge.Variable.leaf, moved._v.data(), p.requires_grad)
            for name, b in list(d.get('_buffers', {}).items()):
                if b is not None:
                    d['_buffers'][name] = fn(b)
        return self

    def to(self, *args, **kwargs):
        """Casts floating point parameters and buffers to a dtype given positionally or as dtype=; devices other
        than 'cpu' are refused (loss4j runs on the CPU)."""
        from ..._tensor import dtype as _dtype
        target = kwargs.get('dtype')
        device = kwargs.get('device')
        for a in args:
            if isinstance(a, _dtype):
                target = a
            elif a is not None and not hasattr(a, '_v'):
                device = a
        if device is not None and str(device).split(':')[0] != 'cpu':
            raise NotImplementedError('Module.to(%r): loss4j runs on the CPU only' % (device,))
        if target is None:
            return self
        if not target.is_floating_point:
            raise TypeError('nn.Module.to only accepts floating point or complex dtypes, but got desired dtype=%r'
                            % (target,))
        return self._apply_to_tensors(lambda t: t.to(target) if t.is_floating_point() else t)

    def float(self):
        from ..._tensor import float32
        return self.to(float32)

    def double(self):
        from ..._tensor import float64
        return self.to(float64)

    def half(self):
        from ..._tensor import float16
        return self.to(float16)

    def bfloat16(self):
        from ..._tensor import bfloat16
        return self.to(bfloat16)

    def cpu(self):
        return self

    def cuda(self, device=None):
        raise NotImplementedError('Module.cuda(): loss4j runs on the CPU only')

    def requires_grad_(self, requires_grad=True):
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none=True):
        for p in self.parameters():
            p.grad = None
        return None

    def apply(self, fn):
        for m in self.children():
            m.apply(fn)
        fn(self)
        return self

    def train(self, mode=True):
        if not isinstance(mode, bool):
            raise ValueError('training mode is expected to be boolean')
        for m in self.modules():
            object.__setattr__(m, 'training', mode)
        return self

    def eval(self):
        return self.train(False)

    # ---- printing -----------------------------------------------------------------------------------
    def extra_repr(self):
        return ''

    def _get_name(self):
        return type(self).__name__

    def __repr__(self):
        children = [(name, m) for name, m in self._child_items() if m is not None]
        extra = self.extra_repr()
        if not children:
            return '%s(%s)' % (self._get_name(), extra)
        lines = extra.split('\n') if extra else []
        for name, m in children:
            body = repr(m).replace('\n', '\n  ')
            lines.append('(%s): %s' % (name, body))
        return self._get_name() + '(\n  ' + '\n  '.join(lines) + '\n)'

    def __dir__(self):
        d = self.__dict__
        keys = set(object.__dir__(self))
        for key in ('_parameters', '_buffers', '_modules'):
            keys.update(d.get(key, {}).keys())
        return sorted(keys)


class _IncompatibleKeys(tuple):
    """load_state_dict's result: (missing_keys, unexpected_keys)."""

    def __new__(cls, missing, unexpected):
        t = tuple.__new__(cls, (missing, unexpected))
        return t

    @property
    def missing_keys(self):
        return self[0]

    @property
    def unexpected_keys(self):
        return self[1]

    def __repr__(self):
        if not self[0] and not self[1]:
            return '<All keys matched successfully>'
        return '_IncompatibleKeys(missing_keys=%r, unexpected_keys=%r)' % (self[0], self[1])


# torch.typename's names for a tensor of each dtype (the legacy tensor types), as PyTorch's messages print them.
_LEGACY_NAMES = {'float32': 'FloatTensor', 'float64': 'DoubleTensor', 'int64': 'LongTensor', 'int32': 'IntTensor',
                 'bool': 'BoolTensor', 'float16': 'HalfTensor', 'bfloat16': 'BFloat16Tensor',
                 'uint8': 'ByteTensor', 'int8': 'CharTensor', 'int16': 'ShortTensor'}


def _typename(obj):
    if hasattr(obj, '_v') and hasattr(obj, 'dtype'):
        if type(obj).__name__ != 'Tensor':
            return 'torch.' + type(obj).__name__
        return 'torch.' + _LEGACY_NAMES.get(str(obj.dtype).replace('torch.', ''), 'Tensor')
    return type(obj).__name__
