/**
 * Isomorphic types, permissions, annotation keys and naming rules shared by the Upbound plugins.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './annotations';
export * from './permissions';
export * from './naming';
export * from './conditions';
export * from './gitops';
export * from './readErrors';
