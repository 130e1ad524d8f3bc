export { EntityClaimCard } from './EntityClaimCard';
