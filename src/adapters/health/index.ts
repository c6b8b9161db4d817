export { createHealthGate, type HealthGateOptions } from './gate.js';
