import { nodeNet } from '../common/lazyNodeModules';

/** Picks a TCP port for the server. Injected so tests can hand out a port that is already taken. */
export type PortChooser = () => Promise<number>;

/**
 * Asks the OS for a free loopback port by binding port 0 and closing again. Another process can take
 * the port before the server binds it; the caller retries on "address already in use".
 */
export const chooseFreePort: PortChooser = () =>
  new Promise((resolve, reject) => {
    const server = nodeNet().createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('The OS did not report a free port.'))));
    });
  });
