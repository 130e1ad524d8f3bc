export { ClaimApisTable } from './ClaimApisTable';
