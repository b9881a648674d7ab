import type { Dependence, Reduction } from '../../findings';
import type { LoopContext } from '../context';
import type { LoopFacts } from '../walker';

/** A dependence with how sure the check is: a certain one makes the loop sequential, an uncertain one unknown. */
export interface ScoredDependence extends Dependence {
  certain: boolean;
}

export interface CheckOutput {
  dependencies?: ScoredDependence[];
  reductions?: Reduction[];
  privates?: string[];
  assumptions?: string[];
}

/** One rule about loops, in one file: reads the walked facts, says what it found. */
export interface LoopCheck {
  name: string;
  run(ctx: LoopContext, facts: LoopFacts): CheckOutput;
}
