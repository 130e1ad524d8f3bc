export { EntityControlPlaneContent } from './EntityControlPlaneContent';
