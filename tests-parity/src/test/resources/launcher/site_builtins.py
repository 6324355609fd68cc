# The names CPython's site module adds to builtins, which scripts use: help(), quit(), exit(code).
import io
import contextlib
import torch.nn.functional as F

out = io.StringIO()
with contextlib.redirect_stdout(out):
    help(F.mse_loss)
print('help:', 'mse_loss' in out.getvalue())
print(repr(quit))
try:
    exit(4)
finally:
    print('finally ran')
