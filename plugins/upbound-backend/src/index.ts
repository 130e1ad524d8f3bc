/**
 * Backend plugin for Upbound managed control planes: the REST API behind the control plane pages,
 * claim cards, resource graphs and day-2 operations.
 *
 * @packageDocumentation
 */
export { upboundPlugin as default } from './plugin';
export { createRouter, type RouterOptions } from './router';
