import { afterAll, inject } from 'vitest';
import { cleanUp } from './cleanup.js';

// vitest `setupFiles`: runs in the worker before each test file.

// os.tmpdir() reads TMPDIR on every call: temp dirs of tests, helpers and spawned bots go under the run's own directory.
const root = inject('tmpRoot');
if (root) process.env.TMPDIR = root;

// Registered first, so it runs after the test file's own afterAll hooks have closed what they opened.
afterAll(cleanUp);
