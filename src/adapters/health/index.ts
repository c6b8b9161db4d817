export { createHealthGate, type HealthGateOptions } from './gate.js';
export { createSteadyState } from './steady-state.js';
