export { EntityResourcesContent } from './EntityResourcesContent';
