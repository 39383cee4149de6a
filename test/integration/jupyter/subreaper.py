"""Test helper: become a Linux child subreaper, then exec the given command.

Orphans below us are then re-parented to us instead of PID 1, as they are under `systemd --user`
on a desktop. ipykernel's own parent poller only watches for PID 1, so this is the case where
kernels would outlive a killed launcher unless the launcher ties them to itself.
"""
import ctypes
import os
import sys

PR_SET_CHILD_SUBREAPER = 36

if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1) != 0:
    sys.exit("prctl(PR_SET_CHILD_SUBREAPER) failed: errno %d" % ctypes.get_errno())
os.execvp(sys.argv[1], sys.argv[1:])
