# Run with a small heap (LOSS4J_JAVA_OPTS=-Xmx...): a full heap is a MemoryError the script can catch, in
# the engine (a tensor too large) and in Python code; the last one is left uncaught.
import torch
import torch.nn.functional as F

try:
    x = torch.zeros(40000000)
    print(F.mse_loss(x, x))
except MemoryError as e:
    print("engine:", e)
x = None
try:
    b = bytearray(400000000)
except MemoryError:
    print("python: MemoryError")
y = torch.ones(40000000)
