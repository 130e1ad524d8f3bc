export { ConnectionsCard } from './ConnectionsCard';
