export { createHealthGate, type HealthGateOptions } from './gate.js';
export { createSteadyState } from './steady-state.js';
export { singleFlight, type TeamGates, teamGates } from './team-gates.js';
