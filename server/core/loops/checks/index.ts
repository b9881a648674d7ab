// Every loop check, in the order their findings are reported. A new check is a new file here plus one line below.
import type { LoopCheck } from './types';
import { controlFlow } from './controlFlow';
import { iterationSpace } from './iterationSpace';
import { scalars } from './scalars';
import { locations } from './locations';
import { callEffects } from './effects';
import { reduceAccumulator } from './reduceAccumulator';

export const loopChecks: readonly LoopCheck[] = [controlFlow, iterationSpace, scalars, locations, callEffects, reduceAccumulator];
export type { LoopCheck, ScoredDependence, CheckOutput } from './types';
