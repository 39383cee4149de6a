"""Test double: the real launcher, except that it ignores every request to stop (SIGTERM, stdin EOF).

Lets the tests check that stop() escalates to SIGKILL and takes the kernels down too.
"""
import os
import sys

sys.path.insert(0, os.environ["KI_REAL_LAUNCHER_DIR"])
import launcher  # noqa: E402

launcher.Lifeline.request_stop = lambda self, reason: launcher.log("ignoring stop: %s" % reason)
sys.exit(launcher.main(sys.argv[1:]))
