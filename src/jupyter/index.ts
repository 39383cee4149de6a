// pythonExtension.ts is left out on purpose: it imports `vscode`, and this barrel is used in plain Node.
export * from './environmentCheck';
export * from './environmentDiscovery';
export * from './freePort';
export * from './launcherProcess';
export * from './localServer';
export * from './processRunner';
export * from './processTree';
export * from './pythonEnvironment';
export * from './pythonFinder';
export * from './pythonProbe';
export * from './remoteServer';
export * from './serverStatus';
export * from './token';
export * from './types';
