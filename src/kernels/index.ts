export * from './types';
export { WebSocketKernelSession, type WebSocketKernelSessionOptions } from './webSocketKernelSession';
export { JupyterSessionFactory } from './sessionFactory';
export { ContextRegistry, type ContextRegistryOptions } from './registry/contextRegistry';
export { KernelPool, type KernelPoolOptions } from './kernelPool';
export { toOutputEvent, outputDisplayId } from './outputConverters';
export { OutputCollector } from './outputCollector';
export { AGENT_CONTEXT_PREFIX, contextKindOfId, contextSpec, isDocumentId } from './contextSpec';
export { setupCode } from './setupCode';
export { toKernelState } from './kernelState';
export { abortedResult } from './results';
export { realTimer } from './timer';
export {
  AgentLifecycle,
  DEFAULT_AGENT_LIMITS,
  agentShutdownNotice,
  isManagedAgentContext,
  type AgentActivity,
  type AgentLifecycleOptions,
  type AgentLimits,
  type AgentRunResult,
  type AgentShutdownCause,
} from './agentLifecycle';
