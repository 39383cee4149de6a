import { KernelSpecAPI } from '@jupyterlab/services';
import type { JupyterServerProvider } from '../jupyter/types';

/** A kernelspec as the kernel picker shows it. */
export interface KernelSpecChoice {
  name: string;
  displayName: string;
  language: string;
}

/** Lists the kernelspecs of a server (`GET /api/kernelspecs`); returns a function for the kernel picker. */
export function kernelSpecLister(provider: JupyterServerProvider): () => Promise<KernelSpecChoice[]> {
  return async () => {
    const server = await provider.getServer();
    const models = await KernelSpecAPI.getSpecs(server.settings);
    return Object.values(models.kernelspecs)
      .filter((spec) => spec !== undefined)
      .map((spec) => ({ name: spec.name, displayName: spec.display_name, language: spec.language }))
      .sort((a, b) => a.displayName.localeCompare(b.displayName));
  };
}
