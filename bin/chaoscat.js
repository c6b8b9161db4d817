#!/usr/bin/env node
// `chaoscat check-config`, `chaoscat run`, `chaoscat export --since DATE`, `chaoscat backup PATH`: the same entry as `npm start`.
import { register } from 'tsx/esm/api';

register();
await import(new URL('../src/main.ts', import.meta.url).href);
