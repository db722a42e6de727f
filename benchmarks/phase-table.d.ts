import type { PhaseTimes } from '../packages/core/src/engine/phase-profile.ts';
export function phaseTable(columns: Record<string, PhaseTimes>): string;
