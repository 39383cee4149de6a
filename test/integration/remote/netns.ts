import { execFileSync, spawnSync } from 'node:child_process';

/** A network namespace with a veth pair: the host side and the namespace side each have a 10.x address. */
export interface NetworkNamespace {
  name: string;
  hostAddress: string;
  nsAddress: string;
  /** Deletes the namespace and its veth pair. Safe twice. */
  remove(): void;
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * Creates a namespace of our own (needs root and `ip netns`). Returns the reason as a string when the machine does
 * not allow it, so the caller can fall back to loopback and say why.
 */
export function createNetworkNamespace(): NetworkNamespace | string {
  const tag = `${process.pid % 10000}${Math.floor(Math.random() * 100)}`;
  const name = `ki-remote-${tag}`;
  // Interface names are at most 15 characters.
  const hostIf = `kih${tag}`.slice(0, 15);
  const nsIf = `kin${tag}`.slice(0, 15);
  const octet = 1 + ((process.pid * 7 + Math.floor(Math.random() * 60)) % 250);
  const hostAddress = `10.213.${octet}.1`;
  const nsAddress = `10.213.${octet}.2`;
  let created = false;
  const remove = (): void => {
    if (!created) {
      return;
    }
    created = false;
    // Deleting the namespace destroys the veth end inside it, and with it the pair; the second call only
    // matters when the namespace went first by other means (its failure is expected then).
    spawnSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
    spawnSync('ip', ['link', 'del', hostIf], { stdio: 'ignore' });
  };
  try {
    ip('netns', 'add', name);
    created = true;
    ip('link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf);
    ip('link', 'set', nsIf, 'netns', name);
    ip('addr', 'add', `${hostAddress}/30`, 'dev', hostIf);
    ip('link', 'set', hostIf, 'up');
    ip('netns', 'exec', name, 'ip', 'addr', 'add', `${nsAddress}/30`, 'dev', nsIf);
    ip('netns', 'exec', name, 'ip', 'link', 'set', nsIf, 'up');
    ip('netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up');
  } catch (err) {
    remove();
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
    return `ip netns is not permitted here (${stderr || String(err)})`;
  }
  return { name, hostAddress, nsAddress, remove };
}
