# Prints numbers until stdout is closed: `count.py | head -1` must stop at once with BrokenPipeError.
import sys

for i in range(3000000):
    print(i)
sys.stderr.write("ran to the end\n")
