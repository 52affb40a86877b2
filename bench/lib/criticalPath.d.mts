export interface PathNode {
  id: string;
  label: string;
  durationMs: number;
  deps: string[];
  notBefore?: { node: string; offsetMs: number };
}
export interface ChainStep {
  id: string;
  label: string;
  startMs: number;
  endMs: number;
}
export interface InitGraphOptions {
  stages: number;
  timings: { callLatencyMs: number; latencyByOperation?: Record<string, number>; createAccountMs: number; assignmentMs: number };
  createAccountLimit?: { rate: number; burst: number };
  maxCreationsInProgress?: number;
  maxOutstandingAssignments?: number;
}
export function longestPath(nodes: PathNode[]): { totalMs: number; chain: ChainStep[]; times: Map<string, { start: number; end: number; via?: string }> };
export function latencyOf(timings: { callLatencyMs: number; latencyByOperation?: Record<string, number> }, operation: string): number;
export function pacingOffsetMs(k: number, limit: { rate: number; burst: number }): number;
export function initGraph(o: InitGraphOptions): PathNode[];
export function initCriticalPath(o: InitGraphOptions): ReturnType<typeof longestPath>;
export function describeChain(chain: ChainStep[]): string[];
