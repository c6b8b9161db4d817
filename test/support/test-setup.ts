import { afterAll, inject } from 'vitest';
import { cleanUp } from './cleanup.js';

// vitest `setupFiles`: runs in the worker before each test file.

// os.tmpdir() reads TMPDIR on every call: temp dirs of tests, helpers and spawned bots go under the run's own directory.
const root = inject('tmpRoot');
if (root) process.env.TMPDIR = root;
// Ansible (ansible-inventory, run by the inventory adapter) keeps its temp files under ANSIBLE_HOME,
// ~/.ansible by default: under the run's directory instead, removed with it.
if (root) process.env.ANSIBLE_HOME = `${root}/ansible-home`;

// Registered first, so it runs after the test file's own afterAll hooks have closed what they opened.
afterAll(cleanUp);
