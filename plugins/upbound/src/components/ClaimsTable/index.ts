export { ClaimsTable } from './ClaimsTable';
export type { ClaimsTableProps } from './ClaimsTable';
