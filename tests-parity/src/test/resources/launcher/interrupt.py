# LauncherTest sends SIGINT once "ready" is printed: KeyboardInterrupt must end the sleep, with finally and
# atexit run and a traceback printed, as in CPython.
import atexit
import time

atexit.register(lambda: print("atexit ran", flush=True))
try:
    print("ready", flush=True)
    time.sleep(120)
    print("slept through", flush=True)
finally:
    print("finally ran", flush=True)
