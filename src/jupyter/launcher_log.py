"""The launcher's one log: a line on stderr, which the parent reads (launcherProcess.ts keeps its tail).

Its own module so that launcher.py, server_patches.py and server_lifeline.py all write the same lines
without importing one another (launcher.py runs as a script, so it is `__main__`, not an importable module).
"""

import sys


def log(message):
    try:
        sys.stderr.write("[kernel-islands launcher] %s\n" % message)
        sys.stderr.flush()
    except (OSError, ValueError):
        # Our stderr is a pipe to the parent; once the parent is dead every write fails with EPIPE.
        # Losing the message is fine, but raising here would kill the thread that stops the server.
        pass
