/** Injection tokens for platform values that are interfaces rather than classes. */
export const LOGGER = Symbol('LOGGER');
export const CONFIG = Symbol('CONFIG');
export const TRANSPORT = Symbol('TRANSPORT');
export const SERVICE_NAME = Symbol('SERVICE_NAME');
export const READINESS = Symbol('READINESS');
export const SESSION_STATE = Symbol('SESSION_STATE');
