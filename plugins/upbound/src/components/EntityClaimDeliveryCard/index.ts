export { EntityClaimDeliveryCard } from './EntityClaimDeliveryCard';
