/**
 * Jupyter Server config (Python) that makes a plain Jupyter Server behave like a Kernel Gateway in two ways the
 * extension must tolerate. Written next to the test server and loaded with --config. Kept as a string so the
 * in-host suite bundle carries it too.
 */
export const GATEWAY_CONFIG_PY = `# Jupyter Server config that makes a plain Jupyter Server behave like a Kernel Gateway in two ways the
# extension must tolerate. Loaded with --config by the remote-server tests.
#   KI_REFUSE_KERNEL_LIST=1  -> GET /api/kernels answers 403 (Kernel Gateway's default: listing not allowed)
#   KI_KERNEL_LIMIT=N        -> POST /api/kernels answers 403 "Resource Limit" once N kernels run
import os

from tornado import web
from jupyter_server.services.kernels import handlers

_original_post = handlers.MainKernelHandler.post

if os.environ.get("KI_REFUSE_KERNEL_LIST") == "1":

    def _refuse_listing(self):
        raise web.HTTPError(403, "Forbidden: kernel listing is not allowed on this gateway")

    handlers.MainKernelHandler.get = _refuse_listing

_limit = int(os.environ.get("KI_KERNEL_LIMIT", "0"))
if _limit > 0:

    async def _post_with_limit(self):
        if len(self.kernel_manager.list_kernel_ids()) >= _limit:
            raise web.HTTPError(403, "Resource Limit: the maximum of %d kernels is reached" % _limit)
        return await _original_post(self)

    handlers.MainKernelHandler.post = _post_with_limit
`;
