export const SIGNING_KEY = Symbol('SIGNING_KEY');
export const SECURITY_STORES = Symbol('SECURITY_STORES');
