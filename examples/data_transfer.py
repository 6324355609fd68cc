# loss4j example: data in and out of tensors. Python lists back out with tolist(); buffers (array.array, bytes,
# bytearray, memoryview) in with torch.frombuffer, torch.tensor and torch.as_tensor; PyTorch's checks and error
# messages. Recorded from PyTorch 2.13.0+cpu; ScriptOutputTest compares the shim's output.
import array
import warnings

import torch
import torch.nn.functional as F


def attempt(label, fn):
    try:
        print(label + ':', fn())
    except Exception as e:
        print(label + ': ' + type(e).__name__ + ': ' + str(e))


def kinds(value):
    """The Python types inside a nested list, to show what tolist() hands back."""
    return [kinds(v) for v in value] if isinstance(value, list) else type(value).__name__


# ---- tensors out to Python lists -------------------------------------------------------------------
for t in (torch.tensor(2.5), torch.tensor([1.5, -2.25, 0.1]), torch.tensor([[1, 2, 3], [4, 5, 6]]),
          torch.tensor([True, False]), torch.tensor([[0.1], [0.2]], dtype=torch.float64), torch.zeros(0),
          torch.zeros(2, 0), torch.zeros(0, 3), torch.tensor([2 ** 40, -2 ** 62, 3]), torch.tensor(7),
          torch.tensor([float('nan'), float('inf'), -0.0]), torch.arange(12).reshape(2, 3, 2),
          torch.tensor([[0.5, 1.5], [2.5, 3.5]]).t(), torch.tensor([[1.0, 2.0], [3.0, 4.0]])[:, 1]):
    out = t.tolist()
    print('tolist', tuple(t.shape), t.dtype, out, kinds(out))
print('tolist round trip', torch.tensor([0.1, 0.2, 0.3]).tolist() == [torch.tensor(v).item() for v in (0.1, 0.2, 0.3)])

# ---- torch.frombuffer -------------------------------------------------------------------------------
floats = array.array('f', [1.5, 2.5, -3.25, 4.0])
attempt('frombuffer array f', lambda: torch.frombuffer(floats, dtype=torch.float32))
attempt('frombuffer as float64', lambda: torch.frombuffer(floats, dtype=torch.float64))
attempt('frombuffer as int64', lambda: torch.frombuffer(floats, dtype=torch.int64))
attempt('frombuffer count', lambda: torch.frombuffer(floats, dtype=torch.float32, count=2))
attempt('frombuffer offset', lambda: torch.frombuffer(floats, dtype=torch.float32, offset=4))
attempt('frombuffer count offset', lambda: torch.frombuffer(floats, dtype=torch.float32, count=2, offset=8))
attempt('frombuffer negative count', lambda: torch.frombuffer(floats, dtype=torch.float32, count=-5))
attempt('frombuffer tensor count', lambda: torch.frombuffer(floats, dtype=torch.float32, count=torch.tensor(1)))
attempt('frombuffer doubles', lambda: torch.frombuffer(array.array('d', [0.1, -2.0]), dtype=torch.float64))
attempt('frombuffer longs', lambda: torch.frombuffer(array.array('q', [1, -2, 2 ** 50]), dtype=torch.int64))
attempt('frombuffer bool', lambda: torch.frombuffer(bytearray(b'\x00\x01\x02\xff'), dtype=torch.bool))
attempt('frombuffer bytearray', lambda: torch.frombuffer(bytearray(floats.tobytes()), dtype=torch.float32))
attempt('frombuffer memoryview', lambda: torch.frombuffer(memoryview(floats), dtype=torch.float32))
attempt('frombuffer memoryview slice', lambda: torch.frombuffer(memoryview(floats)[1:3], dtype=torch.float32))
attempt('frombuffer 2-d memoryview', lambda: torch.frombuffer(memoryview(bytearray(floats.tobytes())).cast('B', (2, 8)),
                                                              dtype=torch.float32))
attempt('frombuffer keyword buffer', lambda: torch.frombuffer(buffer=floats, dtype=torch.float32))
leaf = torch.frombuffer(array.array('f', [0.5, -1.0, 2.0]), dtype=torch.float32, requires_grad=True)
print('frombuffer requires_grad', leaf)
loss = F.mse_loss(leaf, torch.zeros(3))
loss.backward()
print('frombuffer loss', loss, leaf.grad)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter('always')
    attempt('frombuffer bytes', lambda: torch.frombuffer(b'\x00\x00\xc0\x3f', dtype=torch.float32))
    attempt('frombuffer bytes again', lambda: torch.frombuffer(b'\x00\x00\x20\x40', dtype=torch.float32))
for w in caught:
    print('warning', w.category.__name__, str(w.message))
attempt('frombuffer empty', lambda: torch.frombuffer(bytearray(), dtype=torch.float32))
attempt('frombuffer count 0', lambda: torch.frombuffer(floats, dtype=torch.float32, count=0))
attempt('frombuffer ragged', lambda: torch.frombuffer(bytearray(6), dtype=torch.float32))
attempt('frombuffer ragged after offset', lambda: torch.frombuffer(floats, dtype=torch.float32, offset=3))
attempt('frombuffer offset at end', lambda: torch.frombuffer(floats, dtype=torch.float32, offset=16))
attempt('frombuffer negative offset', lambda: torch.frombuffer(floats, dtype=torch.float32, offset=-1))
attempt('frombuffer count too big', lambda: torch.frombuffer(floats, dtype=torch.float32, count=5))
attempt('frombuffer count too big after offset', lambda: torch.frombuffer(floats, dtype=torch.float32, count=3,
                                                                          offset=8))
attempt('frombuffer int requires_grad', lambda: torch.frombuffer(array.array('q', [1]), dtype=torch.int64,
                                                                 requires_grad=True))
attempt('frombuffer strided', lambda: torch.frombuffer(memoryview(floats)[::2], dtype=torch.float32))
attempt('frombuffer list', lambda: torch.frombuffer([1.0, 2.0], dtype=torch.float32))
attempt('frombuffer tensor', lambda: torch.frombuffer(torch.ones(2), dtype=torch.float32))
attempt('frombuffer no dtype', lambda: torch.frombuffer(floats))
attempt('frombuffer no arguments', lambda: torch.frombuffer())
attempt('frombuffer positional dtype', lambda: torch.frombuffer(floats, torch.float32))
attempt('frombuffer twice buffer', lambda: torch.frombuffer(floats, buffer=floats, dtype=torch.float32))
attempt('frombuffer unknown keyword', lambda: torch.frombuffer(floats, dtype=torch.float32, device='cpu'))
attempt('frombuffer dtype None', lambda: torch.frombuffer(floats, dtype=None))
attempt('frombuffer dtype str', lambda: torch.frombuffer(floats, dtype='float32'))
attempt('frombuffer count float', lambda: torch.frombuffer(floats, dtype=torch.float32, count=1.0))
attempt('frombuffer offset bool', lambda: torch.frombuffer(floats, dtype=torch.float32, offset=True))
attempt('frombuffer requires_grad int', lambda: torch.frombuffer(floats, dtype=torch.float32, requires_grad=1))

# ---- torch.tensor and torch.as_tensor of buffers --------------------------------------------------
for code in 'bBhHiIlLqQfd':
    data = array.array(code, [1.5, -2.25, 3.0] if code in 'fd' else [1, 2, 120])
    print('tensor array', code, torch.tensor(data), torch.as_tensor(data), torch.tensor(memoryview(data)))
ints = array.array('i', [3, -1, 0])
attempt('tensor ints as float32', lambda: torch.tensor(ints, dtype=torch.float32))
attempt('tensor ints as float64', lambda: torch.tensor(ints, dtype=torch.float64))
attempt('tensor ints as bool', lambda: torch.tensor(ints, dtype=torch.bool))
attempt('tensor floats as float64', lambda: torch.tensor(floats, dtype=torch.float64))
attempt('tensor floats as int64', lambda: torch.tensor(array.array('d', [2.7, -2.7, 0.5]), dtype=torch.int64))
attempt('tensor nan as int64', lambda: torch.tensor(array.array('d', [float('nan')]), dtype=torch.int64))
attempt('tensor huge as int64', lambda: torch.tensor(array.array('d', [1e30]), dtype=torch.int64))
attempt('tensor floats as bool', lambda: torch.tensor(array.array('f', [0.0, -0.5, float('nan')]), dtype=torch.bool))
attempt('tensor doubles to float32', lambda: torch.tensor(array.array('d', [0.1, 1e300, -1e-50])).tolist())
attempt('tensor big unsigned', lambda: torch.tensor(array.array('Q', [2 ** 64 - 1])))
attempt('tensor big unsigned as float64', lambda: torch.tensor(array.array('Q', [2 ** 63 + 1]), dtype=torch.float64))
attempt('tensor requires_grad', lambda: torch.tensor(floats, requires_grad=True))
attempt('tensor int requires_grad', lambda: torch.tensor(ints, requires_grad=True))
attempt('tensor empty ints', lambda: torch.tensor(array.array('q')))
attempt('tensor empty bytearray', lambda: torch.tensor(bytearray()))
attempt('tensor bytearray', lambda: torch.tensor(bytearray(b'\x01\x02\xff')))
attempt('as_tensor bytearray float32', lambda: torch.as_tensor(bytearray(b'\x01\x02'), dtype=torch.float32))
attempt('tensor bytes', lambda: torch.tensor(b'\x01\x02'))
attempt('as_tensor bytes', lambda: torch.as_tensor(b'\x01\x02'))
attempt('tensor memoryview of bytes', lambda: torch.tensor(memoryview(b'\x01\x02\xff')))
attempt('tensor memoryview slice', lambda: torch.tensor(memoryview(floats)[1:3]))
attempt('tensor memoryview strided', lambda: torch.tensor(memoryview(floats)[::2]))
attempt('tensor memoryview bool', lambda: torch.tensor(memoryview(bytes([0, 1, 2])).cast('?')))
attempt('tensor memoryview chars', lambda: torch.tensor(memoryview(b'ab').cast('c')))
attempt('tensor 2-d memoryview', lambda: torch.tensor(memoryview(bytearray(8)).cast('B', (2, 4))))
attempt('tensor list of arrays', lambda: torch.tensor([array.array('f', [1, 2]), array.array('f', [3, 4])]))
attempt('tensor list of memoryviews', lambda: torch.tensor([memoryview(array.array('d', [1, 2]))]))
attempt('tensor unicode array', lambda: torch.tensor(array.array('u', 'ab')))
print('round trip', torch.tensor(array.array('d', [0.25, -8.0, 3.5]), dtype=torch.float64).tolist())
