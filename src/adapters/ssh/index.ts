export { SshError, type SshErrorCode } from './errors.js';
export { createSshExecutor, type SshExecutorOptions } from './ssh-executor.js';
