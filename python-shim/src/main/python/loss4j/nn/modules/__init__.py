"""The modules of torch.nn that loss4j provides, re-exported one family per line."""
from .module import Module  # noqa: F401
from ._regression import *  # noqa: F401,F403
from ._probabilistic import *  # noqa: F401,F403
from ._binary import *  # noqa: F401,F403
from ._classification import *  # noqa: F401,F403
from ._embedding import *  # noqa: F401,F403
from ._sequence import *  # noqa: F401,F403
from ._adaptive import *  # noqa: F401,F403
from ._linear_cross_entropy import *  # noqa: F401,F403
from ._activation import *  # noqa: F401,F403
