"""torch.nn.functional: every loss function and the activations and distances around them, re-exported one
family per line. Any other name raises NotImplementedError naming it."""
from ._regression import *  # noqa: F401,F403
from ._probabilistic import *  # noqa: F401,F403
from ._binary import *  # noqa: F401,F403
from ._classification import *  # noqa: F401,F403
from ._embedding import *  # noqa: F401,F403
from ._sequence import *  # noqa: F401,F403
from ._adaptive import *  # noqa: F401,F403
from ._linear_cross_entropy import *  # noqa: F401,F403
from ._activation import *  # noqa: F401,F403
from ._blocks import *  # noqa: F401,F403
from ._extras import *  # noqa: F401,F403
from ..._missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr('torch.nn.functional')
